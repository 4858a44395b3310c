// Builds the workflow bundle ahead of time so production workers do not run webpack at start.
const { bundleWorkflowCode } = require('@temporalio/worker');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

(async () => {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve(join(__dirname, '..', 'lib', 'workflows')) });
  writeFileSync(join(__dirname, '..', 'lib', 'workflow-bundle.js'), code);
  console.log('workflow bundle written to lib/workflow-bundle.js');
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
