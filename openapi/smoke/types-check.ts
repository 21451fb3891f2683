// Type-checked by `cargo xtask spec-smoke` against the types openapi-typescript
// generates from the spec (`./netverify` is that generated file). It fails to
// compile if the generated types lose a field, make a lenient field required,
// or close the open set of ID types.
import type { components, paths } from "./netverify";

type Schemas = components["schemas"];
type Json<Path extends keyof paths, Status extends number> =
  paths[Path]["get"]["responses"] extends Record<Status, { content: { "application/json": infer Body } }>
    ? Body
    : never;

// An ID type the spec does not list is still a valid `DocumentKind`.
const residencePermit: Schemas["DocumentRequirements"] = {
  idType: "RESIDENCE_PERMIT",
  acquisitionConfig: { backSide: true },
};

const supported: Json<"/api/netverify/v2/supportedIdTypes", 200> = {
  timestamp: "2019-03-01T14:13:38.938Z",
  supportedIdTypes: [{ countryCode: "NLD", countryName: "Netherlands", idTypes: [residencePermit] }],
};

// The accepted list under either key: both are optional.
const acceptedUnderEitherKey: Json<"/api/netverify/v2/acceptedIdTypes", 200>[] = [
  { timestamp: supported.timestamp, acceptedIdTypes: supported.supportedIdTypes },
  { timestamp: supported.timestamp, supportedIdTypes: supported.supportedIdTypes },
];

// Every field of the error body is optional; httpStatus is a string.
const refused: Json<"/api/netverify/v2/acceptedIdTypes", 403>[] = [{}, { httpStatus: "403", message: "Forbidden" }];

// The User-Agent header is a required parameter of both operations.
const userAgent: paths["/api/netverify/v2/supportedIdTypes"]["get"]["parameters"]["header"]["User-Agent"] =
  "Acme KYC/1.0";

export { acceptedUnderEitherKey, refused, userAgent };
