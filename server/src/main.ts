// Entry point. The Node version is checked before anything else is loaded: the server's static
// imports pull in native addons built for Node 24 (better-sqlite3, isolated-vm), and under an
// older Node those fail with an ABI stack trace before any of our code could say what is wrong.
// So this file imports nothing and loads the server only once the version is right.
const MIN_NODE_MAJOR = 24;

const major = Number(process.versions.node.split('.')[0]);
if (major < MIN_NODE_MAJOR) {
  console.error(
    `Wactorz needs Node.js ${MIN_NODE_MAJOR} or newer; this is v${process.versions.node} (${process.execPath}).\n` +
      `Run it with \`npm start\`, which uses the Node ${MIN_NODE_MAJOR} that \`npm install\` brings, or start the build with ` +
      `\`node_modules/.bin/node --no-node-snapshot dist/server/main.js\`.`,
  );
  process.exitCode = 1;
} else {
  await import('./serve.ts');
}
