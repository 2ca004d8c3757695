/**
 * Request validation. Bodies are checked strictly (no type coercion, unknown properties rejected);
 * query strings and params are coerced, because everything in a URL arrives as a string.
 */
import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const BASE: Options = { allErrors: false, strict: false, useDefaults: true, removeAdditional: false };

const strictAjv = addFormats(new Ajv({ ...BASE, coerceTypes: false }));
const coercingAjv = addFormats(new Ajv({ ...BASE, coerceTypes: 'array' }));

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? strictAjv : coercingAjv).compile(schema);
