/**
 * The OpenAPI document (from the routes' own zod schemas) at /docs/json and Swagger UI at /docs,
 * served from the @fastify/swagger-ui package: nothing is fetched from a CDN.
 */
import swagger, { type SwaggerTransformObject } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { apiRegistry } from './schemas/common.js';

/** Where the docs live. */
export const DOCS_PREFIX = '/docs';

const baseTransformObject = createJsonSchemaTransformObject({ schemaRegistry: apiRegistry });

/** The part of an OpenAPI document {@link pruneComponents} looks at. */
interface OpenApiDocument {
  components?: { schemas?: Record<string, unknown> };
  [key: string]: unknown;
}

/**
 * Drops component schemas nothing refers to. The generator emits every named schema twice, as
 * input (`ItemInput`) and output (`Item`); a stored Item's input twin would read as "what to
 * send", which it is not, so only the forms the routes use stay.
 */
export function pruneComponents(document: OpenApiDocument): OpenApiDocument {
  const schemas = document.components?.schemas;
  if (!schemas) return document;
  const { components, ...rest } = document;
  const used = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === '$ref' && typeof inner === 'string' && inner.startsWith('#/components/schemas/')) {
          const name = inner.slice('#/components/schemas/'.length);
          if (!used.has(name)) {
            used.add(name);
            visit(schemas[name]);
          }
        } else visit(inner);
      }
    }
  };
  visit(rest);
  return { ...document, components: { ...components, schemas: Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name))) } };
}

/** Registers the OpenAPI generator and the UI; call before the routes so every route is seen. */
export async function registerDocs(app: FastifyInstance, authEnabled: boolean): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Magpie API',
        version: '0.1.0',
        description:
          'Recommendations, catalog, events, models, experiments and analytics of a Magpie engine. ' +
          'Send the API key as "Authorization: Bearer <key>" or "X-API-Key: <key>". Errors are JSON { code, message, location?, hint? }.' +
          (authEnabled ? '' : ' This server runs without keys: every route is open.'),
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <key>' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
    },
    transform: createJsonSchemaTransform({ schemaRegistry: apiRegistry }),
    transformObject: (document) => pruneComponents(baseTransformObject(document) as OpenApiDocument) as ReturnType<SwaggerTransformObject>,
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX, uiConfig: { docExpansion: 'list', deepLinking: true } });
}
