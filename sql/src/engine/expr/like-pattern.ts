import { SqlError } from '@shoal/client/protocol';

/**
 * A LIKE pattern as a regular expression: `%` any run, `_` one character,
 * backslash escapes the next character (PostgreSQL's default ESCAPE).
 */
export function likeRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let source = '^';
  const characters = [...pattern];
  for (let i = 0; i < characters.length; i++) {
    const character = characters[i]!;
    if (character === '\\') {
      const escaped = characters[++i];
      if (escaped === undefined) throw new SqlError('LIKE pattern must not end with escape character');
      source += escapeRegExp(escaped);
    } else if (character === '%') source += '.*';
    else if (character === '_') source += '.';
    else source += escapeRegExp(character);
  }
  return new RegExp(`${source}$`, caseInsensitive ? 'isu' : 'su');
}

function escapeRegExp(character: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(character) ? `\\${character}` : character;
}
