import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { App } from './app.ts';

const shared: Options = {
  // Unknown fields are an error the caller should hear about, not something to drop silently.
  removeAdditional: false,
  useDefaults: true,
  // Stops at the first problem: collecting every error of a hostile payload costs CPU (a DoS lever).
  allErrors: false,
};

function ajvWith(options: Options): Ajv {
  const ajv = new Ajv({ ...shared, ...options });
  addFormats.default(ajv);
  return ajv;
}

/**
 * Query strings, params and headers only ever arrive as text, so they are coerced ("20" -> 20).
 * JSON bodies are not: `"sendHour": "8"` is a wrong type the caller should hear about, and a
 * coerced value must never change a reader's settings.
 */
export function installValidation(app: App): void {
  const strict = ajvWith({ coerceTypes: false });
  const coercing = ajvWith({ coerceTypes: 'array' });
  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body' ? strict.compile(schema) : coercing.compile(schema),
  );
}
