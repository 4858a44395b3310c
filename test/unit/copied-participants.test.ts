// Whom of the copied-in people join, by the sender policy, with the directory asked: only for
// `known-users`, never about the sender, and a directory that cannot answer fails the step (retried)
// rather than dropping people silently.
import { participantsByPolicy } from '../../src/activities/copied-participants';
import { UserDirectory } from '../../src/activities/user-directory';

function directory(users: string[], failing = false) {
  const asked: string[] = [];
  const dir: UserDirectory = {
    async find(address) {
      asked.push(address);
      if (failing) throw new Error('connect ECONNREFUSED 127.0.0.1:5433');
      return users.includes(address) ? { email: address, name: address } : null;
    },
    agents: async () => [],
    add: async () => undefined,
    list: async () => [],
  };
  return { dir, asked };
}

const people = ['anna@customer.example', 'boss@customer.example', 'spy@elsewhere.example'];

test('known-users: the sender, and of the others those the directory holds; the sender is not asked about', async () => {
  const { dir, asked } = directory(['boss@customer.example']);
  expect(await participantsByPolicy(dir, people, 'Anna@customer.example', 'known-users')).toEqual(['anna@customer.example', 'boss@customer.example']);
  expect(asked).toEqual(['boss@customer.example', 'spy@elsewhere.example']);
});

test('authenticated and nobody ask the directory nothing', async () => {
  const { dir, asked } = directory([]);
  expect(await participantsByPolicy(dir, people, 'anna@customer.example', 'authenticated')).toEqual(people);
  expect(await participantsByPolicy(dir, people, 'anna@customer.example', 'nobody')).toEqual(['anna@customer.example']);
  expect(asked).toEqual([]);
});

test('a directory that cannot answer fails the step: "cannot tell" is not "not a user"', async () => {
  const { dir } = directory([], true);
  await expect(participantsByPolicy(dir, people, 'anna@customer.example', 'known-users')).rejects.toThrow('ECONNREFUSED');
});
