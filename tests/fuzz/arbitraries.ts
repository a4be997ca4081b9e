import fc from "fast-check";

// The generators of the fuzz run: header-safe strings, JSON from the OpenAPI schemas (with domain
// values mixed in by property name), path ids, query strings, multipart bodies and raw garbage.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: Json[];
  const?: Json;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  format?: string;
  nullable?: boolean;
};

/** Characters a header value may carry (a ByteString without CR, LF or NUL), tab included. */
const headerChar = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
  { weight: 1, arbitrary: fc.constant(0x09) },
);
export const headerValue = (maxLength = 40) =>
  fc
    .array(headerChar, { maxLength })
    .map((codes) => String.fromCharCode(...codes))
    .map((s) => s.trim());

export const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);

/** Any string, weighted toward the ones that break parsers: unicode, control characters, long runs. */
export const nastyString = (maxLength = 60): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ maxLength }) },
    { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength }) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "",
        " ",
        "\u0000",
        "\uD800",
        "\uFEFF",
        "null",
        "undefined",
        "NaN",
        "-1",
        "0",
        "1e309",
        "__proto__",
        "constructor",
        "' OR 1=1 --",
        "'; drop table jobs; --",
        "%",
        "%zz",
        "%00",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "=cmd|' /C calc'!A0",
        "\r\n",
        "a".repeat(101),
        "a".repeat(2049),
        "🙂".repeat(40),
      ),
    },
  );

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join("."));
export const ipish = fc.oneof(
  ipv4,
  ipv4.chain((ip) => fc.nat(40).map((n) => `${ip}/${n}`)),
  fc.ipV6(),
  fc.ipV6().map((ip) => `${ip}/64`),
  fc.constantFrom(
    "203.0.113.7",
    "10.0.0.0/8",
    "::1",
    "::ffff:127.0.0.1",
    "2001:db8::/32",
    "0.0.0.0/0",
    "999.1.1.1",
    "1.2.3.4/33",
    "fe80::1%eth0",
    "",
  ),
  nastyString(30),
);

export const originish = fc.oneof(
  fc.constantFrom(
    "http://localhost:3000",
    "https://app.example.com",
    "*.example.com",
    "https://*.example.org",
    "null",
    "https://evil.example",
    "http://[::1]:3000",
    "https://xn--80ak6aa92e.com",
    "https://example.com/path?q=1",
    "ftp://example.com",
  ),
  fc.webUrl(),
  nastyString(40),
);

/**
 * Image URLs that never leave the machine: URLs of the app's own uploads and outputs (the caller's,
 * another customer's, missing ones) and literal addresses the SSRF guard refuses before connecting.
 */
export function imageUrlish(known: string[]): fc.Arbitrary<string> {
  const forbiddenHost = fc.constantFrom(
    "127.0.0.1",
    "10.1.2.3",
    "192.168.0.1",
    "169.254.169.254",
    "0.0.0.0",
    "203.0.113.9",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "[fc00::1]",
    "100.64.0.1",
  );
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...known) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom("http", "https"), forbiddenHost, fc.webPath())
        .map(([s, h, p]) => `${s}://${h}${p}`),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom("ftp://127.0.0.1/a.png", "file:///etc/passwd", "http://user:pw@127.0.0.1/"),
    },
    { weight: 1, arbitrary: nastyString(80) },
  );
}

/** Values of well-known fields, mixed into what the schema alone would generate. */
export function domainValues(known: Known): Record<string, fc.Arbitrary<Json>> {
  const ints = fc.oneof(
    fc.integer({ min: -5, max: 3000 }),
    fc.constantFrom(0, -1, 2 ** 31 - 1, 2 ** 31, 2 ** 53, -(2 ** 53)),
    fc.double({ noNaN: true }),
  );
  return {
    product: fc.oneof(fc.constantFrom(...known.products), nastyString(30)),
    prompt: fc.oneof(
      fc.constantFrom(
        "a lighthouse at dusk",
        "a cat !fail",
        "!fail-once",
        "!FAIL",
        "backend down !unavailable",
        "  ",
        "x".repeat(2000),
        "x".repeat(2001),
      ),
      nastyString(80),
    ),
    pack: fc.oneof(fc.constantFrom(...known.packs), nastyString(20)),
    source_image_url: imageUrlish(known.imageUrls),
    start_image_url: imageUrlish(known.imageUrls),
    allowed_origins: fc.array(originish, { maxLength: 4 }),
    allowed_ips: fc.array(ipish, { maxLength: 4 }),
    ip: ipish,
    origin: fc.oneof(originish, fc.constant(null)),
    status: fc.oneof(fc.constantFrom("active", "paused", "revoked", "ACTIVE"), nastyString(10)),
    low_balance_credits: ints,
    expire_old_in_seconds: ints,
    width: ints,
    height: ints,
    seed: ints,
    frames: ints,
    days: ints,
    limit: ints,
  };
}

export type Known = { products: string[]; packs: string[]; imageUrls: string[] };

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/**
 * Well-formed RFC 3339 times anywhere a client may write one: years 0000–9999, any offset, so before
 * 1970 and past what the database stores (`created_after=1969-12-31T23:59:59Z` was a 500).
 */
export const edgeTimestamp: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 28 }),
      fc.integer({ min: 0, max: 23 }),
      fc.integer({ min: 0, max: 59 }),
      fc.constantFrom("Z", "+14:00", "-12:00", "+00:00", "-00:30"),
    )
    .map(
      ([y, mo, d, h, mi, tz]) => `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:59${tz}`,
    ),
  fc.constantFrom(
    "1969-12-31T23:59:59Z",
    "1970-01-01T00:00:00Z",
    "1970-01-01T00:00:00.001+00:01",
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59.999Z",
    "9999-12-31T23:59:59-14:00",
  ),
);

/**
 * List cursors in the shapes our lists give out (`<ms>.<prefix>_<ulid>` keysets, `j:<job id>`), with any
 * time in them: a request-log cursor with an out-of-range time was a 500.
 */
export const cursorish: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.oneof(
        fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
        fc.constantFrom(0, -1, 8.64e15, 8.64e15 + 1, -8.64e15 - 1, 253402300799999, 253402300800000),
      ),
      fc.constantFrom("req", "aud", "led", "job", "key"),
      fc.stringMatching(/^[0-9A-Z]{26}$/),
    )
    .map(([ms, prefix, ulid]) => Buffer.from(`${ms}.${prefix}_${ulid}`).toString("base64url")),
  fc.stringMatching(/^[0-9A-Z]{26}$/).map((ulid) => Buffer.from(`j:job_${ulid}`).toString("base64url")),
  fc
    .tuple(fc.constantFrom("led", "aud", "key"), fc.stringMatching(/^[0-9A-Z]{26}$/))
    .map(([prefix, ulid]) => Buffer.from(`${prefix}_${ulid}`).toString("base64url")),
  nastyString(40),
);

/** Values of well-known fields that the contract accepts, so a valid body is often really valid. */
export function validDomainValues(known: Known): Record<string, fc.Arbitrary<Json>> {
  const text = (max: number) =>
    fc.string({ minLength: 1, maxLength: max }).filter((s) => s.trim().length > 0 && !s.includes("\u0000"));
  return {
    product: fc.constantFrom(...known.products),
    prompt: fc.oneof(
      fc.constantFrom("a lighthouse at dusk", "a cat !fail", "!fail-once", "backend down !unavailable"),
      text(60),
    ),
    pack: fc.constantFrom(...known.packs),
    source_image_url: fc.constantFrom(...known.imageUrls),
    start_image_url: fc.constantFrom(...known.imageUrls),
    name: text(40),
    reason: text(60),
    allowed_origins: fc.array(
      fc.constantFrom(
        "https://app.example.com",
        "*.example.com",
        "http://localhost:3000",
        "https://a.b.example.org",
      ),
      { maxLength: 3 },
    ),
    allowed_ips: fc.array(
      fc.constantFrom("203.0.113.7", "10.0.0.0/8", "2001:db8::/32", "::1", "198.51.100.0/24"),
      {
        maxLength: 3,
      },
    ),
    ip: fc.constantFrom("203.0.113.7", "10.1.2.3", "::1", "2001:db8::5"),
    origin: fc.constantFrom("https://app.example.com", "http://localhost:3000", null),
    status: fc.constantFrom("active", "paused"),
    low_balance_credits: fc.integer({ min: 0, max: 100_000 }),
    expire_old_in_seconds: fc.integer({ min: 0, max: 604_800 }),
    width: fc.integer({ min: 64, max: 512 }),
    height: fc.integer({ min: 64, max: 512 }),
    seed: fc.nat(),
    frames: fc.integer({ min: 2, max: 12 }),
  };
}

/**
 * A body that satisfies the schema: required properties always, optional ones sometimes, enum members,
 * strings and numbers within their bounds, known fields from `hints`.
 */
export function validFromSchema(
  schema: Schema,
  resolve: (ref: string) => Schema,
  hints: Record<string, fc.Arbitrary<Json>>,
  depth = 0,
): fc.Arbitrary<Json> {
  if (schema.$ref) return validFromSchema(resolve(schema.$ref), resolve, hints, depth);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length)
    return fc.oneof(...alternatives.map((s) => validFromSchema(s, resolve, hints, depth)));
  if (schema.allOf?.length) return validFromSchema(schema.allOf[0]!, resolve, hints, depth);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const type = types.find((t) => t !== "null") ?? types[0];
  switch (type) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
      return fc.integer({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 1000, 2 ** 31 - 1) });
    case "number":
      return fc.double({ min: schema.minimum ?? 0, max: schema.maximum ?? 1000, noNaN: true });
    case "string": {
      if (schema.format === "date-time") {
        return fc
          .date({ min: new Date("2020-01-01"), max: new Date("2030-01-01"), noInvalidDate: true })
          .map((d) => d.toISOString());
      }
      const min = Math.max(schema.minLength ?? 0, 1);
      return fc
        .string({ minLength: min, maxLength: Math.max(min, Math.min(schema.maxLength ?? 40, 40)) })
        .filter((v) => v.trim().length > 0 && !v.includes("\u0000"));
    }
    case "array": {
      const item = schema.items
        ? validFromSchema(schema.items, resolve, hints, depth + 1)
        : fc.constant(null);
      return fc.array(item, { maxLength: Math.min(schema.maxItems ?? 3, 3) });
    }
    case "object": {
      if (depth > 3 || !schema.properties) return fc.constant({});
      const shape: Record<string, fc.Arbitrary<Json>> = {};
      for (const [name, prop] of Object.entries(schema.properties)) {
        shape[name] = hints[name] ?? validFromSchema(prop, resolve, hints, depth + 1);
      }
      const required = (schema.required ?? []).filter((k) => k in shape);
      return fc.record(shape, { requiredKeys: required as never[] }) as fc.Arbitrary<Json>;
    }
    default:
      return fc.constant(null);
  }
}

/** One or two mutations of a valid object: a field replaced by a hostile value, dropped, or an extra one. */
export function mutated(
  valid: fc.Arbitrary<Json>,
  hostile: (field: string) => fc.Arbitrary<Json>,
): fc.Arbitrary<Json> {
  return valid.chain((value) => {
    if (!value || typeof value !== "object" || Array.isArray(value)) return fc.constant(value);
    const keys = Object.keys(value);
    type Op = { op: "set" | "drop"; k: string; v: Json };
    const extra: fc.Arbitrary<Op> = fc
      .tuple(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 1 }))
      .map(([k, v]) => ({ op: "set", k, v: v as Json }));
    const one: fc.Arbitrary<Op> = keys.length
      ? fc.oneof(
          fc.constantFrom(...keys).chain((k) => hostile(k).map((v): Op => ({ op: "set", k, v }))),
          fc.constantFrom(...keys).map((k): Op => ({ op: "drop", k, v: null })),
          extra,
        )
      : extra;
    return fc.array(one, { minLength: 1, maxLength: 2 }).map((ops) => {
      const out: Record<string, Json> = { ...(value as Record<string, Json>) };
      for (const o of ops) {
        if (o.op === "drop") delete out[o.k];
        else out[o.k] = o.v;
      }
      return out as Json;
    });
  });
}

/** JSON for a schema: mostly of the right shape (every property optional), sometimes anything at all. */
export function fromSchema(
  schema: Schema,
  resolve: (ref: string) => Schema,
  hints: Record<string, fc.Arbitrary<Json>>,
  depth = 0,
): fc.Arbitrary<Json> {
  if (schema.$ref) return fromSchema(resolve(schema.$ref), resolve, hints, depth);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => fromSchema(s, resolve, hints, depth)));
  if (schema.allOf?.length) return fromSchema(schema.allOf[0]!, resolve, hints, depth);
  if (schema.enum) return fc.oneof(fc.constantFrom(...schema.enum), nastyString(10));
  if (schema.const !== undefined) return fc.constant(schema.const);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1) {
    return fc.oneof(...types.map((t) => fromSchema({ ...schema, type: t }, resolve, hints, depth)));
  }
  const anything = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;
  switch (types[0]) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
    case "number": {
      const min = schema.minimum ?? -1000;
      const max = schema.maximum ?? 1_000_000;
      return fc.oneof(
        fc.integer({ min: Math.max(min - 2, -(2 ** 31)), max: Math.min(max + 2, 2 ** 31) }),
        fc.constantFrom(min - 1, max + 1, 0.5, -0, 2 ** 53, 1e308),
      );
    }
    case "string": {
      const max = schema.maxLength ?? 100;
      const sized = fc.string({ minLength: 0, maxLength: Math.min(max + 2, 400) });
      if (schema.format === "date-time") {
        return fc.oneof(
          fc
            .date({ min: new Date("1970-01-01"), max: new Date("2100-01-01"), noInvalidDate: true })
            .map((d) => d.toISOString()),
          fc.constantFrom("2026-13-01T00:00:00Z", "yesterday", "0000-00-00T00:00:00Z", "2026-01-01"),
          edgeTimestamp,
          sized,
        );
      }
      return fc.oneof({ weight: 3, arbitrary: sized }, { weight: 1, arbitrary: nastyString(max + 5) });
    }
    case "array": {
      const item = schema.items ? fromSchema(schema.items, resolve, hints, depth + 1) : anything;
      return fc.array(item, { maxLength: Math.min((schema.maxItems ?? 4) + 1, 60) });
    }
    case "object": {
      if (depth > 3 || !schema.properties) return anything;
      const shape: Record<string, fc.Arbitrary<Json>> = {};
      for (const [name, prop] of Object.entries(schema.properties)) {
        const typed = fromSchema(prop, resolve, hints, depth + 1);
        const hinted = hints[name];
        shape[name] = fc.oneof(
          { weight: 4, arbitrary: hinted ? fc.oneof(hinted, typed) : typed },
          { weight: 1, arbitrary: anything },
        );
      }
      const extra = fc.dictionary(fc.string({ maxLength: 12 }), anything, { maxKeys: 2 });
      return fc
        .tuple(
          fc.record(shape, { requiredKeys: [] }),
          fc.oneof({ weight: 5, arbitrary: fc.constant({}) }, extra),
        )
        .map(([known, more]) => ({ ...more, ...known }) as Json);
    }
    default:
      return anything;
  }
}

/** A JSON request body: the schema's shape, any JSON, text that is not JSON, truncated JSON, edge cases. */
export function jsonBody(
  shaped: fc.Arbitrary<Json>,
  valid?: fc.Arbitrary<Json>,
  hostile?: (field: string) => fc.Arbitrary<Json>,
): fc.Arbitrary<string | undefined> {
  const good = valid ?? shaped;
  const bad = hostile ? mutated(good, hostile) : shaped;
  return fc.oneof(
    { weight: 20, arbitrary: good.map((v) => JSON.stringify(v)) },
    { weight: 20, arbitrary: bad.map((v) => JSON.stringify(v)) },
    { weight: 8, arbitrary: shaped.map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: nastyString(60) },
    {
      weight: 1,
      arbitrary: shaped
        .map((v) => JSON.stringify(v))
        .chain((s) => fc.nat(Math.max(0, s.length - 1)).map((n) => s.slice(0, n))),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "",
        "null",
        "[]",
        "1e999",
        '"x"',
        "{}garbage",
        "\uFEFF{}",
        '{"__proto__":{"polluted":1}}',
        '{"constructor":{"prototype":{"polluted":1}}}',
        `${"[".repeat(3000)}${"]".repeat(3000)}`,
        `${'{"a":'.repeat(2000)}1${"}".repeat(2000)}`,
        "[".repeat(5000),
        '{"a":1,"a":2}',
        '{"prompt":"\\ud800"}',
      ),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** Path parameter values: the known ids (own, another customer's, missing), garbage, encodings. */
export function pathValue(known: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...known) },
    { weight: 2, arbitrary: nastyString(40).map(encodePathSegment) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "%",
        "%zz",
        "%E0%A4%A",
        "%C0%AF",
        "%2e%2e",
        "..",
        "%2F",
        "a%00b",
        "%FF%FE",
        "a;b",
        "a%20b",
        "x".repeat(100),
        "x".repeat(101),
        "x".repeat(5000),
        "job_01J00000000000000000000000",
        "export.csv",
        "summary",
      ),
    },
  );
}

export type QueryParam = { name: string; schema: Schema };

/** A query string: the route's own parameters (valid-ish or not, sometimes repeated), extras, garbage. */
export function queryString(
  params: QueryParam[],
  resolve: (ref: string) => Schema,
  hints: Record<string, fc.Arbitrary<Json>>,
  valid?: Record<string, fc.Arbitrary<Json>>,
): fc.Arbitrary<string> {
  const value = (p: QueryParam) =>
    fc
      .oneof(
        { weight: 6, arbitrary: valid?.[p.name] ?? validFromSchema(p.schema, resolve, {}) },
        { weight: 3, arbitrary: fromSchema(p.schema, resolve, hints) },
        { weight: 1, arbitrary: nastyString(30) },
      )
      .map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
  const pairs = params.length
    ? fc
        .array(
          fc.constantFrom(...params).chain((p) => value(p).map((v) => [p.name, v] as [string, string])),
          { maxLength: params.length + 2 },
        )
        .map((list) => list as [string, string][])
    : fc.constant([] as [string, string][]);
  const extra = fc.array(fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })), {
    maxLength: 2,
  });
  const raw = fc.constantFrom(
    "",
    "&",
    "&&=&",
    "=x",
    "a=%",
    "a=%zz",
    "%=1",
    "limit=1&limit=2",
    "a[b]=1",
    "a=1#frag",
  );
  return fc
    .tuple(pairs, extra, fc.oneof({ weight: 8, arbitrary: fc.constant("") }, { weight: 1, arbitrary: raw }))
    .map(([own, more, tail]) => {
      const qs = new URLSearchParams([...own, ...more]).toString();
      const all = [qs, tail].filter(Boolean).join("&");
      return all ? `?${all}` : "";
    });
}

/** A multipart body with its Content-Type: well-formed with any parts, or broken in the ways parsers meet. */
export function multipartBody(files: {
  png: Uint8Array;
  jpeg: Uint8Array;
  big: Uint8Array;
}): fc.Arbitrary<{ body: Uint8Array; type: string | undefined }> {
  const enc = new TextEncoder();
  const data = fc.oneof(
    { weight: 3, arbitrary: fc.constant(files.png) },
    { weight: 1, arbitrary: fc.constant(files.jpeg) },
    { weight: 1, arbitrary: fc.constant(files.big) },
    { weight: 1, arbitrary: fc.nat(files.png.length).map((n) => files.png.slice(0, n)) },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 600 }) },
    { weight: 1, arbitrary: fc.constant(new Uint8Array()) },
  );
  const part = fc.record({
    name: fc.oneof({ weight: 5, arbitrary: fc.constant("file") }, { weight: 1, arbitrary: nastyString(12) }),
    filename: fc.option(fc.oneof(fc.constantFrom("a.png", "../../x.png", 'a"b.png', ""), nastyString(20))),
    type: fc.option(fc.oneof(fc.constantFrom("image/png", "image/jpeg", "text/plain"), headerValue(20))),
    data,
  });
  const boundary = fc.oneof(
    { weight: 4, arbitrary: fc.constant("fuzzBoundary7MA4YWxkTrZu0gW") },
    { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9'()+_,./:=?-]{1,90}$/) },
  );
  const build = (
    b: string,
    parts: { name: string; filename: string | null; type: string | null; data: Uint8Array }[],
    close: boolean,
  ) => {
    const chunks: Uint8Array[] = [];
    for (const p of parts) {
      let head = `--${b}\r\nContent-Disposition: form-data; name="${p.name}"`;
      if (p.filename !== null) head += `; filename="${p.filename}"`;
      head += "\r\n";
      if (p.type !== null) head += `Content-Type: ${p.type}\r\n`;
      chunks.push(enc.encode(`${head}\r\n`), p.data, enc.encode("\r\n"));
    }
    if (close) chunks.push(enc.encode(`--${b}--\r\n`));
    return concat(chunks);
  };
  const wellFormed = fc
    .tuple(boundary, fc.array(part, { maxLength: 3 }), fc.boolean())
    .map(([b, parts, quoted]) => ({
      body: build(b, parts, true),
      type: `multipart/form-data; boundary=${quoted ? `"${b}"` : b}`,
    }));
  const broken = fc
    .tuple(boundary, fc.array(part, { minLength: 1, maxLength: 2 }), fc.nat(5))
    .map(([b, parts, how]) => {
      const body = build(b, parts, how !== 0);
      switch (how) {
        case 0: // never closed
          return { body, type: `multipart/form-data; boundary=${b}` };
        case 1: // header names another boundary
          return { body, type: "multipart/form-data; boundary=somethingElse" };
        case 2: // no boundary at all
          return { body, type: "multipart/form-data" };
        case 3: // cut anywhere
          return {
            body: body.slice(0, Math.floor(body.length / 2)),
            type: `multipart/form-data; boundary=${b}`,
          };
        case 4: // CRLFs gone
          return {
            body: enc.encode(new TextDecoder().decode(body).replaceAll("\r\n", "\n")),
            type: `multipart/form-data; boundary=${b}`,
          };
        default: // an empty boundary, a huge one
          return { body, type: `multipart/form-data; boundary=${b.length % 2 ? "" : "x".repeat(200)}` };
      }
    });
  const other = fc.oneof(
    fc.uint8Array({ maxLength: 400 }).map((body) => ({ body, type: "multipart/form-data; boundary=x" })),
    fc.jsonValue().map((v) => ({ body: enc.encode(JSON.stringify(v)), type: "application/json" })),
    headerValue(40).map((t) => ({ body: files.png, type: t || undefined })),
    fc.constant({ body: new Uint8Array(), type: undefined }),
  );
  return fc.oneof(
    { weight: 6, arbitrary: wellFormed },
    { weight: 3, arbitrary: broken },
    { weight: 1, arbitrary: other },
  );
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** encodeURIComponent, except that a lone surrogate (which it refuses) goes through as its code unit. */
function encodePathSegment(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, "\uFFFD")) + "%ED%A0%80";
  }
}
