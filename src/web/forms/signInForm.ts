import { z } from 'zod'
import { errorMessages } from '../../i18n/errorMessages.js'
import { parseWith } from './validation.js'

const m = errorMessages.signIn

export const signInSchema = z.object({
  email: z
    .string({ error: m.email.required })
    .trim()
    .min(1, { error: m.email.required })
    .max(200, { error: m.email.invalid })
    .pipe(z.email({ error: m.email.invalid })),
  password: z
    .string({ error: m.password.required })
    .min(1, { error: m.password.required })
    .max(200, { error: m.credentials.wrong }),
})

export const parseSignInForm = (body: Record<string, unknown>) => parseWith(signInSchema, body)

export const tokenSchema = z.object({
  name: z
    .string({ error: errorMessages.token.name.required })
    .trim()
    .min(1, { error: errorMessages.token.name.required })
    .max(80, { error: errorMessages.token.name.tooLong }),
})
export const parseTokenForm = (body: Record<string, unknown>) => parseWith(tokenSchema, body)
