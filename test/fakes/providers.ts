import { type FakeSendgrid, startFakeSendgrid } from './sendgrid';
import { type FakeSlack, startFakeSlack } from './slack';

export interface Recorders {
  sendgrid: FakeSendgrid;
  slack: FakeSlack;
  /** The environment that points the API and worker at both recorders. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** A SendGrid and a Slack recorder, started together, with the environment that uses them. */
export async function startRecorders(): Promise<Recorders> {
  const [sendgrid, slack] = await Promise.all([startFakeSendgrid(), startFakeSlack()]);
  return {
    sendgrid,
    slack,
    env: {
      SENDGRID_API_KEY: 'SG.test-key',
      SENDGRID_BASE_URL: sendgrid.url,
      MAIL_FROM: 'compliance@vigil.example.com',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_API_URL: `${slack.url}/api/`,
    },
    close: async () => {
      await Promise.all([sendgrid.close(), slack.close()]);
    },
  };
}
