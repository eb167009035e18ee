import { hash, verify } from '@node-rs/argon2'

/** Argon2id through a maintained native binding; the interface lets tests and the demo share one hash. */
export interface PasswordHasher {
  hash(password: string): Promise<string>
  verify(hash: string, password: string): Promise<boolean>
}

export const argon2Hasher: PasswordHasher = {
  hash: password => hash(password),
  verify: async (stored, password) => {
    try {
      return await verify(stored, password)
    } catch {
      return false
    }
  },
}
