// The CDK app (`npm run infra:synth -- -c ticketAddress=... -c ruleSetName=...`; deploying: README,
// Infrastructure as code). Parameters come from CDK context; a bad one stops the app with an error
// naming its key, before anything is synthesised.
import { App } from 'aws-cdk-lib';
import { EmailToTicketStack } from './email-to-ticket-stack';
import { InfraSettingsError, infraSettings } from './settings';

/** `-c key=value` arguments, as the cdk CLI takes them, for running the app without the CLI (npm run infra:synth). */
function contextArguments(args: string[]): Record<string, string> {
  const context: Record<string, string> = {};
  args.forEach((arg, i) => {
    if ((arg === '-c' || arg === '--context') && args[i + 1]?.includes('=')) {
      const [key, ...value] = args[i + 1].split('=');
      context[key] = value.join('=');
    }
  });
  return context;
}

// Under the cdk CLI, context arrives in CDK_CONTEXT_JSON and the App reads it itself.
const app = new App({ context: contextArguments(process.argv.slice(2)) });
try {
  new EmailToTicketStack(app, 'EmailToTicket', infraSettings(app.node), {
    // The account and region of the deploying credentials (the receipt rule must be in a region that receives mail).
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  app.synth();
} catch (err) {
  if (!(err instanceof InfraSettingsError)) throw err;
  console.error(err.message);
  process.exit(1);
}
