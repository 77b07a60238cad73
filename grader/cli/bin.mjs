#!/usr/bin/env node
// The `virtlab` command. The CLI is TypeScript, which Node runs directly only from 22.18 (type
// stripping); on an older Node the import below would die with a raw ERR_UNKNOWN_FILE_EXTENSION
// stack, so say what to do instead. `npx virtlab` and the npm scripts use the project's own Node 24.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `virtlab needs Node 22.18 or newer to run its TypeScript; this is Node ${process.versions.node}.\n` +
      'Run it through the project instead, which brings its own Node 24 (npm install first):\n' +
      '  npx virtlab grade <lab> <files…>     or     npm run virtlab -- grade <lab> <files…>\n',
  );
  process.exit(2);
}
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
