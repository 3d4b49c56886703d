import { Option } from 'commander';

/**
 * An old spelling of an option, kept so that scripts written against it go on working: hidden
 * from --help, and one line on stderr each time it is used, naming the spelling to use now.
 * `parse` checks and converts the value as the new option would (choices, integers).
 */
export function deprecatedOption(
  flags: string,
  replacement: string,
  parse: (value: string) => unknown = (value) => value,
): Option {
  const option = new Option(flags).hideHelp();
  return option.argParser((value: string) => {
    process.stderr.write(`gradlab: ${option.long} is deprecated: use ${replacement}\n`);
    return parse(value);
  });
}
