import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { emailField, parseForm, passwordField } from '#app/lib/forms.server.ts'

const schema = z.object({ intent: z.literal('x'), email: emailField, password: passwordField })
const form = (entries: Record<string, string>) => {
  const data = new FormData()
  for (const [k, v] of Object.entries(entries)) data.append(k, v)
  return data
}

describe('parseForm', () => {
  it('returns the parsed data', () => {
    expect(
      parseForm(form({ intent: 'x', email: ' a@b.co ', password: '12345678' }), schema),
    ).toEqual({
      ok: true,
      data: { intent: 'x', email: 'a@b.co', password: '12345678' },
    })
  })

  it('returns field errors and what was typed, never the password', () => {
    const result = parseForm(
      form({ intent: 'x', email: 'nope', password: 'short', target: 't1' }),
      schema,
    )
    expect(result).toEqual({
      ok: false,
      intent: 'x',
      target: 't1',
      fieldErrors: {
        email: ['Enter a valid email address'],
        password: ['Use at least 8 characters'],
      },
      values: { intent: 'x', email: 'nope', target: 't1' },
    })
  })
})
