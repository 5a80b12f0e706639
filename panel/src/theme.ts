// Home Assistant shows an add-on panel in an iframe, and CSS variables do not cross frames. The
// ingress page is same-origin with HA, so the panel copies HA's theme variables from the parent
// document and follows theme changes; opened on its own it uses the defaults in index.html
// (light or dark from the system setting).
const VARS = [
  '--primary-color', '--accent-color', '--primary-background-color', '--secondary-background-color',
  '--card-background-color', '--ha-card-background', '--primary-text-color', '--secondary-text-color',
  '--text-primary-color', '--disabled-text-color', '--divider-color', '--error-color', '--warning-color',
  '--success-color', '--info-color', '--app-header-background-color', '--app-header-text-color',
  '--ha-card-border-radius', '--ha-card-box-shadow', '--code-font-family', '--paper-font-body1_-_font-family',
];

function parentRoot(): HTMLElement | undefined {
  try {
    if (window.parent === window) return undefined;
    // Throws for a cross-origin parent: then there is nothing to copy.
    return window.parent.document.documentElement;
  } catch {
    return undefined;
  }
}

function copy(from: HTMLElement): void {
  const style = window.parent.getComputedStyle(from);
  const to = document.documentElement.style;
  for (const name of VARS) {
    const value = style.getPropertyValue(name).trim();
    if (value) to.setProperty(name, value);
    else to.removeProperty(name);
  }
  const dark = window.parent.document.documentElement.classList.contains('dark') || style.getPropertyValue('color-scheme').includes('dark');
  document.documentElement.classList.toggle('dark', dark);
}

export function followHomeAssistantTheme(): void {
  const root = parentRoot();
  if (!root) return;
  copy(root);
  // HA applies a theme by rewriting inline styles and classes on its root element.
  new MutationObserver(() => copy(root)).observe(root, { attributes: true, attributeFilter: ['style', 'class'] });
}
