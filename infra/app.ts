// The CDK app (`npm run infra:synth`; deploying: README, Infrastructure as code). Parameters come from
// CDK context; a bad one stops the app with an error naming its key, before anything is synthesised.
import { App } from 'aws-cdk-lib';
import { EmailToTicketStack } from './email-to-ticket-stack';
import { InfraSettingsError, infraSettings } from './settings';

const app = new App();
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
