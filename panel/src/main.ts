// Panel entry: follows HA's theme and registers the root element. Everything the panel fetches
// uses relative URLs so it works both at `/` and under Home Assistant's ingress path prefix.
import { followHomeAssistantTheme } from './theme.ts';
import './components/wactorz-panel.ts';

followHomeAssistantTheme();
