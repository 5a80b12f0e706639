// The SDK registry: every host function an agent can reach, one file each. The isolate-side shim,
// the scope checks and the SDK reference given to the LLM are all generated from this list.
import { agents } from './agents.ts';
import { alert } from './alert.ts';
import { clock, clockNow } from './clock.ts';
import { console } from './console.ts';
import { declareContract } from './declare-contract.ts';
import type { IsolateFeature, SdkFunction } from './define.ts';
import { haCallService } from './ha-call-service.ts';
import { haCameraSnapshot } from './ha-camera-snapshot.ts';
import { haGetState } from './ha-get-state.ts';
import { httpFetch } from './http-fetch.ts';
import { llmChat } from './llm-chat.ts';
import { log } from './log.ts';
import { notify } from './notify.ts';
import { pendingRefused } from './pending-refused.ts';
import { persist } from './persist.ts';
import { publish } from './publish.ts';
import { recall } from './recall.ts';
import { sendToMany } from './send-to-many.ts';
import { sendTo } from './send-to.ts';
import { sleep } from './sleep.ts';
import { state } from './state.ts';
import { subscribe } from './subscribe.ts';
import { trace } from './trace.ts';
import { windowQuery } from './window-query.ts';
import { window } from './window.ts';

export type { IsolateFeature, SdkContext, SdkDoc, SdkFunction, SdkMode } from './define.ts';

export const SDK_FUNCTIONS: readonly SdkFunction[] = [
  log, alert, trace, publish, subscribe, persist, recall, llmChat, sendTo, sendToMany, agents,
  window, windowQuery, declareContract, haGetState, haCallService, haCameraSnapshot, httpFetch, notify, sleep, clockNow,
  pendingRefused,
];

export const ISOLATE_FEATURES: readonly IsolateFeature[] = [state, console, clock];

const byName = new Map(SDK_FUNCTIONS.map((fn) => [fn.name, fn]));
if (byName.size !== SDK_FUNCTIONS.length) throw new Error('two SDK functions share a name');

export function findSdkFunction(name: string): SdkFunction | undefined {
  return byName.get(name);
}
