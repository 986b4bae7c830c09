import type { z } from 'zod';

/**
 * A refused run-config value in words, for the launch form, the CLI and the
 * service alike: "must be more than 0", "must be one of: word, char, bpe",
 * instead of zod's "Too small: expected number to be >0". The option is the
 * first element of the path (a pair such as adam_betas says which of its two
 * values is wrong).
 */
export interface ConfigIssue {
  key: string;
  message: string;
}

const NTH = ['first', 'second', 'third'];

/** `nullable`: the option also takes null (then "or null: none" is said). */
export function configIssueInWords(issue: z.core.$ZodIssue, nullable = false): ConfigIssue {
  if (issue.code === 'unrecognized_keys')
    return { key: issue.keys.join(', '), message: issue.keys.length > 1 ? 'unknown options' : 'unknown option' };
  const [first, ...rest] = issue.path;
  const key = first === undefined ? '(config)' : String(first);
  const item = typeof rest[0] === 'number' ? `${NTH[rest[0]] ?? `value ${rest[0] + 1}`} value: ` : '';
  return { key, message: item + words(issue, nullable && !item) };
}

function words(issue: z.core.$ZodIssue, nullable: boolean): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1 ? 'must not be empty' : `must have at least ${issue.minimum} characters`;
      if (issue.origin === 'array') return `must have at least ${issue.minimum} values`;
      return issue.inclusive === false ? `must be more than ${issue.minimum}` : `must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must have at most ${issue.maximum} characters`;
      if (issue.origin === 'array') return `must have at most ${issue.maximum} values`;
      return issue.inclusive === false ? `must be less than ${issue.maximum}` : `must be at most ${issue.maximum}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'invalid_type': {
      const what =
        issue.expected === 'int'
          ? 'a whole number'
          : issue.expected === 'number'
            ? 'a number'
            : issue.expected === 'boolean'
              ? 'true or false'
              : issue.expected === 'string'
                ? 'text'
                : issue.expected === 'tuple'
                  ? 'a list of 2 numbers, e.g. [0.9, 0.999]'
                  : issue.expected;
      return `must be ${what}${nullable ? ' (or null: none)' : ''}`;
    }
    default:
      return issue.message;
  }
}
