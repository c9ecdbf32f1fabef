// The GraphQL-over-HTTP audit of npm `graphql-http` against a running Twofold.
//
//   node scripts/http_audit.mjs http://127.0.0.1:8000/graphql
//
// Run by scripts/http_audit.py, which installs `graphql-http` and serves Twofold. Prints one
// line per failed audit, then the MUST, SHOULD and MAY counts as `LEVEL passed/total`; exits 1
// unless every MUST passes.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node http_audit.mjs <graphql url>');
  process.exit(2);
}
const results = await auditServer({ url });
const counts = { MUST: [0, 0], SHOULD: [0, 0], MAY: [0, 0] };
for (const result of results) {
  const level = result.name.split(' ')[0];
  const count = counts[level];
  count[1] += 1;
  if (result.status === 'ok') {
    count[0] += 1;
  } else {
    const response = result.response ? ` (status ${result.response.status})` : '';
    console.log(`${result.status}: ${result.name}: ${result.reason}${response}`);
  }
}
for (const [level, [passed, total]] of Object.entries(counts)) {
  console.log(`${level} ${passed}/${total}`);
}
process.exit(counts.MUST[0] === counts.MUST[1] ? 0 : 1);
