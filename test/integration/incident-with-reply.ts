// An incident whose emails carry attachments and HTML: the one that made it (multipart-attachment.eml: an
// inline image and a PDF) and a reply on it (hostile-html.eml: script, event handlers, a remote image, a
// form, a cid: image and an attachment named with markup), for the tests of what agents see of them.
import { getIncident } from '../../src/db/incidents';
import { newId, openStack, uniqueEmail, waitFor } from './helpers';

/** `remoteHost` replaces the reply's remote-images.invalid (a server of the test's, to see whether it is called). */
export async function incidentWithReply(stack: ReturnType<typeof openStack>, remoteHost?: string) {
  const customer = `${newId('agent-view')}@customer.example`;
  const firstId = newId('with-attachments');
  await stack.deliver(uniqueEmail('multipart-attachment.eml', firstId, customer), { messageId: firstId });
  const created = await stack.settle(firstId);
  expect(created.stage).toBe('confirmed');
  const number = created.incidentNumber!;
  const replyId = newId('hostile-reply');
  let reply = uniqueEmail('hostile-html.eml', replyId, customer).toString('latin1').replace(/^Subject: (.*)$/im, `Subject: Re: [${number}] $1`);
  if (remoteHost) reply = reply.replaceAll('http://remote-images.invalid', remoteHost);
  await stack.deliver(Buffer.from(reply, 'latin1'), { messageId: replyId });
  expect(await stack.settle(replyId)).toMatchObject({ stage: 'threaded-as-reply', incidentNumber: number });
  // The incident's thread adds the reply's comment: from then on the reply is one of the incident's emails.
  await waitFor(async () => ((await getIncident(stack.ctx.pool, number))?.comments.length ? true : null));
  return { number, firstId, replyId };
}
