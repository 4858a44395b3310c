// `--json` output: a contract scripts rely on, printed whole and indented.
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
