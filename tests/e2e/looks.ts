// The four looks a visual fix is checked in: desktop and the mobile app's width, light and dark.
import type { BrowserContextOptions } from 'playwright-core';
import { DESKTOP, PHONE } from '../helpers/browser.ts';

export const LOOKS: { name: string; options: BrowserContextOptions }[] = [
  { name: '1280-light', options: { ...DESKTOP, colorScheme: 'light' } },
  { name: '1280-dark', options: { ...DESKTOP, colorScheme: 'dark' } },
  { name: '390-light', options: { ...PHONE, colorScheme: 'light' } },
  { name: '390-dark', options: { ...PHONE, colorScheme: 'dark' } },
];
