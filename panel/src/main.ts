// Panel entry: registers the root element. Everything the panel fetches uses relative URLs so it
// works both at `/` and under Home Assistant's ingress path prefix.
import './components/wactorz-panel.ts';
