// What the benches need from the machine beyond node_modules, checked before it is used, so a
// fresh machine gets the line to run instead of a Python traceback halfway through.
import { execFileSync } from 'node:child_process';

/** Debian's package for each Python module the benches' generators import. */
const DEBIAN_PACKAGES = { numpy: 'python3-numpy', onnx: 'python3-onnx', torch: 'python3-torch' };

/** The Python the generators run with: Debian's, where apt installs the modules above. */
export const PYTHON = '/usr/bin/python3';

/**
 * Exits with status 2 and the apt-get line to run unless `/usr/bin/python3` imports every
 * module in `modules`. `purpose` starts the message ("The speech bench generates its models").
 */
export function requirePython(modules, purpose) {
  const missing = modules.filter((name) => !imports(name));
  if (missing.length === 0) return;
  const packages = missing.map((name) => DEBIAN_PACKAGES[name] ?? `python3-${name}`);
  console.error(
    `${purpose} with ${modules.join(', ')} for ${PYTHON}, and ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing. Install ${missing.length === 1 ? 'it' : 'them'} with:\n` +
      `  sudo apt-get install -y ${packages.join(' ')}\n` +
      'then run the bench again.',
  );
  process.exit(2);
}

/** Exits with status 2 and the apt-get line to run unless every command is on the PATH. */
export function requireCommands(commands, purpose, packages) {
  const missing = commands.filter((name) => !onPath(name));
  if (missing.length === 0) return;
  console.error(`${purpose} with ${commands.join(', ')}, and ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not installed. Install with:\n  sudo apt-get install -y ${packages}`);
  process.exit(2);
}

function imports(module) {
  try {
    execFileSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function onPath(command) {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
