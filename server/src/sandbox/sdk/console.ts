import type { IsolateFeature } from './define.ts';

/** console.* is what LLM-written JavaScript reaches for first; it writes to the agent's log. */
export const console: IsolateFeature = {
  name: 'console',
  install: `{
    const text = (args) => args.map((a) => { if (typeof a === 'string') return a; try { return rt.stringify(a); } catch (e) { return String(a); } }).join(' ');
    const write = (level) => (...args) => { try { rt.ack('log', [text(args), level]); } catch (e) { /* no log scope or bad value: console stays silent */ } };
    G.console = rt.freeze({ log: write('info'), info: write('info'), debug: write('debug'), warn: write('warn'), error: write('error') });
  }`,
  doc: {
    signature: 'console.log(...values)  (also info, debug, warn, error)',
    returns: 'nothing',
    description: 'Writes to the agent\'s log like agent.log, at the matching level.',
  },
};
