// Runs every fixture of openapi/fixtures/ through openapi-fetch typed by the
// types openapi-typescript generates from the spec (`./netverify.js` is that
// generated file), each against a netverify-mock serving that fixture
// (`--fixture FILE`). Compiled by tsc and run with node by
// `cargo xtask spec-smoke`: node fixtures.mjs MOCK FIXTURES_DIR TOKEN SECRET.
//
// The client is used plainly, with on top only what every caller writes
// whatever the API: the status mapped to an error kind (401 and 403
// refused, 429 and 5xx temporary, other statuses `status`), a 200 body that
// fails to parse taken as an invalid response, `Retry-After` read from the
// headers, and the one list key the answer carries read as its list. What
// that cannot reach is in GAPS, with the reason; the run fails when a
// fixture outside GAPS is concluded wrongly, and also when one in GAPS
// starts to pass (then GAPS and openapi/README.md are out of date).
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { join } from "node:path";
import createClient from "openapi-fetch";
import type { components, paths } from "./netverify.js";

type Outcome = Record<string, unknown>;
type CountryDocuments = components["schemas"]["CountryDocuments"];

// Keep in step with openapi/README.md ("What a generated client cannot express").
const GAPS: Record<string, string> = {
  "accepted-missing-list":
    "types are not checked at run time: a document with neither list key passes as an answer without a list",
  "accepted-under-both-keys":
    "with both keys present, only the accepted-key rule (acceptedIdTypes wins, even empty) says which is the list",
  "supported-missing-list":
    "types are not checked at run time: a document without supportedIdTypes passes as an answer without a list",
};

const [mock, fixturesDir, token, secret] = process.argv.slice(2);

function kindOfStatus(status: number): string {
  if (status === 401 || status === 403) return "refused";
  if (status === 429 || status >= 500) return "temporary";
  return "status";
}

function startMock(file: string): Promise<{ stop: () => void; baseUrl: string }> {
  const child = spawn(mock, ["--port", "0", "--quiet", "--token", token, "--secret", secret, "--fixture", file], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    lines.once("line", (line) => {
      if (!line.startsWith("listening on ")) reject(new Error(`netverify-mock printed ${line}`));
      resolve({ stop: () => child.kill(), baseUrl: line.slice("listening on ".length) });
    });
    child.once("error", reject);
  });
}

async function conclude(operation: string, baseUrl: string): Promise<Outcome> {
  // The tracking id of the answer, read before its body is parsed.
  let trackingId: string | null = null;
  const client = createClient<paths>({
    baseUrl,
    fetch: async (request: Request) => {
      const response = await fetch(request);
      trackingId = response.headers.get("X-Trackingid");
      return response;
    },
    headers: {
      Accept: "application/json",
      Authorization: `Basic ${Buffer.from(`${token}:${secret}`).toString("base64")}`,
    },
  });
  const params = { params: { header: { "User-Agent": "netverify-rs spec-smoke fixtures/1.0" } } };
  let result;
  try {
    result =
      operation === "supportedIdTypes"
        ? await client.GET("/api/netverify/v2/supportedIdTypes", params)
        : await client.GET("/api/netverify/v2/acceptedIdTypes", params);
  } catch {
    // openapi-fetch parses a 2xx body with response.json(), which throws on
    // a body that is not JSON; it keeps an error body as text when it is not.
    return { error: { kind: "invalidResponse", status: null, trackingId } };
  }
  const { data, response } = result;
  if (!response.ok) {
    const error: Record<string, unknown> = {
      kind: kindOfStatus(response.status),
      status: response.status,
      trackingId,
    };
    const retryAfter = response.headers.get("Retry-After");
    if (retryAfter !== null) error.retryAfterSeconds = Number(retryAfter);
    return { error };
  }
  const lists = Object.entries(data as Record<string, unknown>).filter(
    ([key]) => key === "acceptedIdTypes" || key === "supportedIdTypes",
  ) as [string, CountryDocuments[]][];
  if (lists.length !== 1) return { undecided: `the answer has the lists ${lists.map(([key]) => key)}` };
  const [[listKey, countries]] = lists;
  const entries = countries.flatMap((country) =>
    country.idTypes.map((document) => ({
      country: country.countryCode,
      idType: document.idType,
      backSide: document.acquisitionConfig.backSide,
    })),
  );
  return { catalogue: { listKey, entries } };
}

// Key order does not matter; compare as sorted JSON.
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

const problems: string[] = [];
const files = readdirSync(fixturesDir)
  .filter((name) => name.endsWith(".json"))
  .sort();
for (const fileName of files) {
  const name = fileName.slice(0, -".json".length);
  const file = join(fixturesDir, fileName);
  const fixture = JSON.parse(readFileSync(file, "utf8"));
  const server = await startMock(file);
  let found: Outcome;
  try {
    found = await conclude(fixture.operation, server.baseUrl);
  } finally {
    server.stop();
  }
  const passed = canonical(found) === canonical(fixture.outcome);
  if (passed && !(name in GAPS)) console.log(`pass     ${name}`);
  else if (!passed && name in GAPS) console.log(`gap      ${name}: ${GAPS[name]}`);
  else if (passed) problems.push(`${name} passes, but GAPS says: ${GAPS[name]}`);
  else problems.push(`${name}: expected ${canonical(fixture.outcome)}, concluded ${canonical(found)}`);
}
console.log(
  `fixtures.mts: ${files.length - Object.keys(GAPS).length} of ${files.length} fixtures concluded as they say; ` +
    `${Object.keys(GAPS).length} known gaps`,
);
for (const problem of problems) console.error(`FAILED: ${problem}`);
process.exitCode = problems.length > 0 ? 1 : 0;
