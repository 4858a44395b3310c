// The ticket address's domain as an SES identity: verification and DKIM started, their tokens kept
// for the DNS records the deployer creates (both calls return the same tokens when run again).
import { VerifyDomainDkimCommand, VerifyDomainIdentityCommand } from '@aws-sdk/client-ses';
import { DomainTokens } from '../domain/mail-dns-records';
import { AwsClients } from './clients';

export async function verifyDomain(aws: AwsClients, domain: string, region: string): Promise<DomainTokens> {
  // The domain identity covers every address of the domain, the ticket address included. Verifying
  // the address as well would make SES mail a verification request to it, which becomes an incident.
  const identity = await aws.ses.send(new VerifyDomainIdentityCommand({ Domain: domain }));
  const dkim = await aws.ses.send(new VerifyDomainDkimCommand({ Domain: domain }));
  return { domain, region, verificationToken: identity.VerificationToken!, dkimTokens: dkim.DkimTokens ?? [] };
}
