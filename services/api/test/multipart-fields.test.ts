import { describe, expect, it } from 'vitest';
import { parseMultipartFields } from '../src/multipart-fields.ts';

const body = (boundary: string, ...parts: string[]) =>
  `${parts.map((part) => `--${boundary}\r\n${part}\r\n`).join('')}--${boundary}--\r\n`;
const field = (name: string, value: string) =>
  `Content-Disposition: form-data; name="${name}"\r\n\r\n${value}`;

describe('multipart fields', () => {
  it('reads the one-click field, with a quoted or a bare boundary', () => {
    const one = field('List-Unsubscribe', 'One-Click');
    expect(parseMultipartFields(body('xyz', one), 'multipart/form-data; boundary=xyz')).toEqual({
      'List-Unsubscribe': 'One-Click',
    });
    expect(parseMultipartFields(body('a b', one), 'multipart/form-data; boundary="a b"')).toEqual({
      'List-Unsubscribe': 'One-Click',
    });
  });

  it('keeps a field named __proto__ a plain field', () => {
    const parsed = parseMultipartFields(
      body('q', field('__proto__', 'x')),
      'multipart/form-data; boundary=q',
    );
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed ?? {})).toEqual(['__proto__']);
  });

  it.each([
    ['no boundary', body('q', field('a', 'b')), 'multipart/form-data'],
    ['no closing delimiter', `--q\r\n${field('a', 'b')}\r\n`, 'multipart/form-data; boundary=q'],
    ['a part without headers', body('q', 'just text'), 'multipart/form-data; boundary=q'],
    [
      'a file',
      body('q', 'Content-Disposition: form-data; name="f"; filename="x"\r\n\r\nhi'),
      'multipart/form-data; boundary=q',
    ],
    [
      'too many fields',
      body('q', ...Array.from({ length: 9 }, (_, i) => field(`f${i}`, 'v'))),
      'multipart/form-data; boundary=q',
    ],
  ])('refuses %s', (_case, payload, contentType) => {
    expect(parseMultipartFields(payload, contentType)).toBeNull();
  });
});
