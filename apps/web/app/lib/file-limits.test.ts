import { describe, expect, it } from 'vitest'
import {
  acceptAttribute,
  describeLimits,
  fileProblem,
  formatBytes,
  safeFileName,
  uploadFailureMessage,
} from '#app/lib/file-limits.ts'

const limits = {
  maxBytes: 20 * 1024 * 1024,
  allowedTypes: ['application/pdf', 'text/csv', 'image/*'],
}

describe('file limits', () => {
  it('says what a bucket accepts before anyone uploads', () => {
    expect(describeLimits(limits)).toBe('PDF, CSV and images, up to 20 MB each.')
    expect(describeLimits({ maxBytes: null, allowedTypes: [] })).toBe('Any type of file.')
    expect(acceptAttribute(limits)).toBe('application/pdf,.pdf,text/csv,.csv,image/*')
    expect(acceptAttribute({ maxBytes: null, allowedTypes: [] })).toBeUndefined()
  })

  it('refuses a file of another type, a larger one and an empty one, naming the file', () => {
    expect(fileProblem(limits, { name: 'a.pdf', size: 10, type: 'application/pdf' })).toBeNull()
    expect(fileProblem(limits, { name: 'p.png', size: 10, type: 'image/png' })).toBeNull()
    expect(fileProblem(limits, { name: 'x.exe', size: 10, type: 'application/x-msdownload' })).toBe(
      'x.exe is not an accepted type of file (PDF, CSV and images).',
    )
    expect(fileProblem(limits, { name: 'raw', size: 10, type: '' })).toBe(
      'raw is not an accepted type of file (PDF, CSV and images).',
    )
    expect(
      fileProblem(limits, { name: 'big.pdf', size: 21 * 1024 * 1024, type: 'application/pdf' }),
    ).toBe('big.pdf is 21 MB; files may be at most 20 MB.')
    expect(fileProblem(limits, { name: 'empty.csv', size: 0, type: 'text/csv' })).toBe(
      'empty.csv is empty.',
    )
  })

  it('formats sizes', () => {
    expect([512, 1536, 10 * 1024 * 1024, 1.5 * 1024 ** 3].map(formatBytes)).toEqual([
      '512 B',
      '1.5 KB',
      '10 MB',
      '1.5 GB',
    ])
  })

  it('turns any name into one that needs no URL encoding, keeping the extension', () => {
    expect(safeFileName('Q3 proposal (final).pdf')).toBe('Q3_proposal__final_.pdf')
    expect(safeFileName('Résumé – Müller.docx')).toBe('Resume___Muller.docx')
    expect(safeFileName('../../etc/passwd')).toBe('passwd')
    expect(safeFileName('C:\\Users\\ann\\notes.txt')).toBe('notes.txt')
    expect(safeFileName('..')).toBe('file')
    expect(safeFileName('')).toBe('file')
    const long = safeFileName(`${'a'.repeat(300)}.xlsx`)
    expect(long).toHaveLength(120)
    expect(long.endsWith('.xlsx')).toBe(true)
    for (const name of ['a b', 'x&y=1', 'ü', '%20']) {
      const safe = safeFileName(name)
      expect(encodeURIComponent(safe)).toBe(safe)
    }
  })

  it('explains a refusal of Storage from its real status', () => {
    const body = (code: string) => JSON.stringify({ statusCode: code, message: 'technical' })
    expect(uploadFailureMessage(400, body('403'))).toBe(
      'You are not allowed to add files to this deal.',
    )
    expect(uploadFailureMessage(400, body('413'))).toBe('The file is larger than the limit.')
    expect(uploadFailureMessage(400, body('415'))).toBe('This type of file is not accepted.')
    expect(uploadFailureMessage(400, body('409'))).toMatch(/already attached/)
    expect(uploadFailureMessage(502, 'Bad gateway')).toBe(
      'The upload failed. Try again in a moment.',
    )
  })
})
