// `npm start` will rehearse the deploy pipeline locally against an emulated AWS and leave the notebook running.
// Until that lands, say so plainly instead of pretending.
console.error(
  'npm start is not available yet: the local rehearsal of the deploy pipeline is still being built.\n' +
    'Meanwhile `npm test` sets everything up and runs every check.',
);
process.exitCode = 1;
