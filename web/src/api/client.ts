// The typed GraphQL client: every view talks to the server only through `gql`.
//
//   const data = await gql<{ official: { name: string } }>(`query($id: ID!) { official(id: $id) { name } }`, { id })
//
// Errors come back as `GraphQLRequestError` with the server's message (Chinese) and extensions.code.
import { serverFetch } from './session'

export const GRAPHQL_PATH = '/graphql'

export interface GraphQLErrorItem {
  message: string
  extensions?: { code?: string; [key: string]: unknown }
  path?: (string | number)[]
}

export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    public readonly code: string | undefined,
    public readonly errors: GraphQLErrorItem[],
  ) {
    super(message)
  }
}

export type Variables = Record<string, unknown>

export async function gql<T>(query: string, variables: Variables = {}): Promise<T> {
  const response = await serverFetch(GRAPHQL_PATH, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  })
  let body: { data?: T; errors?: GraphQLErrorItem[] }
  try {
    body = await response.json()
  } catch {
    throw new GraphQLRequestError(`服务器返回了无法解析的应答 (HTTP ${response.status})`, 'BAD_RESPONSE', [])
  }
  if (body.errors?.length) {
    const first = body.errors[0]
    throw new GraphQLRequestError(first.message, first.extensions?.code, body.errors)
  }
  if (!response.ok || body.data === undefined) {
    throw new GraphQLRequestError(`请求失败 (HTTP ${response.status})`, 'HTTP_ERROR', [])
  }
  return body.data
}
