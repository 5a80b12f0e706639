// The panel's icons, by what they mean, from Material Design Icons (the set Home Assistant uses).
// Named imports only, so the bundle carries these paths and not the whole set.
import {
  mdiAlertCircleOutline, mdiBrain, mdiCashMultiple, mdiCheck, mdiCheckCircleOutline, mdiChevronLeft, mdiChevronRight, mdiClose,
  mdiDeleteOutline, mdiFitToScreenOutline, mdiGraphOutline, mdiHeartPulse, mdiInformationOutline, mdiLightbulbOnOutline,
  mdiLightningBoltOutline, mdiMessageTextOutline, mdiMinus, mdiPause, mdiPencilOutline, mdiPlay, mdiPlus, mdiRestart,
  mdiRobotOutline, mdiSend, mdiServerNetwork, mdiStop, mdiTextBoxOutline,
} from '@mdi/js';

export const ICON = {
  chat: mdiMessageTextOutline,
  agents: mdiRobotOutline,
  rules: mdiLightningBoltOutline,
  cost: mdiCashMultiple,
  topics: mdiGraphOutline,
  nodes: mdiServerNetwork,
  memory: mdiBrain,
  health: mdiHeartPulse,
  earlier: mdiChevronLeft,
  later: mdiChevronRight,
  add: mdiPlus,
  remove: mdiMinus,
  fit: mdiFitToScreenOutline,
  send: mdiSend,
  spawn: mdiRobotOutline,
  actuation: mdiLightbulbOnOutline,
  info: mdiInformationOutline,
  error: mdiAlertCircleOutline,
  ok: mdiCheckCircleOutline,
  approve: mdiCheck,
  reject: mdiClose,
  pause: mdiPause,
  resume: mdiPlay,
  stop: mdiStop,
  restart: mdiRestart,
  delete: mdiDeleteOutline,
  logs: mdiTextBoxOutline,
  edit: mdiPencilOutline,
} as const;

export type IconName = keyof typeof ICON;
