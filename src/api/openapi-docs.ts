// What the server needs from the OpenAPI service: a document for an /openapi/... path, if any.
export interface OpenApiDoc { body: unknown; contentType: string; etag?: string; immutable?: boolean }

export interface OpenApiDocs {
  serve(path: string, query: URLSearchParams): OpenApiDoc | undefined;
}
