/**
 * The names a release's config may not set. Deploy passes the config to its
 * command as environment variables, so a config is data only as long as no
 * key changes how the job runs: which code a shell, a loader or an
 * interpreter loads before the command, where the runner's file commands go,
 * or what the RELEASE_* facts say. Each entry gives the reason the error
 * shows. Both sides check: the release action before it creates anything,
 * deploy (through parseConfigEnv) for a release made by other means.
 *
 * Sources: the bash manual (Bash Variables, Bash Startup Files), ld.so(8),
 * Node's CLI documentation (Environment variables), Python's Command line and
 * environment, perlrun, ruby(1), the JDK's java launcher documentation, git(1)
 * and git-config(1), GitHub's "Store information in variables" (default
 * variables) and the runner's file commands.
 *
 * Names are compared without regard to case: Windows runners read
 * environment names case-insensitively (`Path` is PATH there).
 */

interface ReservedName {
  /** The name, or a prefix when it ends with '*'. Upper case. */
  readonly name: string;
  readonly reason: string;
}

const SHELL = 'a shell reads it at start-up and can run commands from it before the deploy command';
const LOADER = 'the dynamic loader reads it and can load code into every program the deploy runs';
const PROXY =
  "it sends the deploy command's network traffic (and the credentials in it) through another host, or around the runner's proxy";
const TLS_TRUST = 'it changes which certificates or TLS checks the deploy command trusts';

const RESERVED: readonly ReservedName[] = [
  // The runner's namespaces and our own.
  { name: 'GITHUB_*', reason: "the runner's own variables (GITHUB_ENV, GITHUB_OUTPUT, GITHUB_PATH, …) steer the job" },
  { name: 'RUNNER_*', reason: "the runner's own variables describe and steer the job" },
  { name: 'ACTIONS_*', reason: "the runner's ACTIONS_* variables hold tokens and service URLs of the job" },
  { name: 'INPUT_*', reason: 'the runner passes action inputs (the token among them) in INPUT_* variables' },
  { name: 'STATE_*', reason: "the runner passes an action's saved state in STATE_* variables" },
  { name: 'RELEASE_*', reason: 'deploy sets the RELEASE_* facts (tag, digest, folder) itself' },
  { name: 'CI', reason: 'the runner sets it; tools change behaviour on it' },
  // The process's basics.
  { name: 'PATH', reason: 'it decides which program runs for every command name' },
  { name: 'PATHEXT', reason: 'on Windows it decides which files count as programs' },
  { name: 'COMSPEC', reason: 'on Windows it names the command interpreter' },
  { name: 'HOME', reason: 'tools read their configuration (.gitconfig, .npmrc, .bashrc, …) from it' },
  { name: 'XDG_CONFIG_HOME', reason: 'git and other tools read their configuration from it' },
  { name: 'SHELL', reason: 'tools start it to run commands' },
  { name: 'TMPDIR', reason: 'it moves every temporary file of the job' },
  { name: 'EDITOR', reason: 'tools run it as a command' },
  { name: 'VISUAL', reason: 'tools run it as a command' },
  { name: 'PAGER', reason: 'tools run it as a command' },
  // Shells (bash manual: Bash Variables, Bash Startup Files; POSIX sh).
  { name: 'BASH_ENV', reason: `${SHELL} (bash expands it and sources the file it names)` },
  { name: 'ENV', reason: `${SHELL} (sh and bash in POSIX mode expand it and source the file)` },
  {
    name: 'BASH_*',
    reason: `bash's own variables (BASH_ENV, BASH_FUNC_* exported functions, BASH_XTRACEFD, …): ${SHELL}`,
  },
  { name: 'SHELLOPTS', reason: `${SHELL} (it turns on shell options such as xtrace)` },
  { name: 'BASHOPTS', reason: `${SHELL} (it turns on shopt options before any start-up file)` },
  { name: 'PS4', reason: `${SHELL} (bash expands it, command substitutions included, before each traced command)` },
  { name: 'PS0', reason: `${SHELL} (it is expanded before each command)` },
  { name: 'PS1', reason: `${SHELL} (it is expanded at each prompt)` },
  { name: 'PROMPT_COMMAND', reason: `${SHELL} (it runs before each prompt)` },
  { name: 'IFS', reason: 'it changes how a shell splits every word' },
  { name: 'CDPATH', reason: "it changes where a shell's cd goes" },
  { name: 'GLOBIGNORE', reason: 'it changes which files a shell glob matches' },
  { name: 'EXECIGNORE', reason: 'it changes which programs bash finds' },
  { name: 'FUNCNEST', reason: 'it changes how bash runs functions' },
  { name: 'ZDOTDIR', reason: `${SHELL} (zsh reads its start-up files from there)` },
  // The dynamic loader and the C library (ld.so(8), glibc).
  { name: 'LD_*', reason: LOADER },
  { name: 'DYLD_*', reason: `${LOADER} (macOS)` },
  {
    name: 'GLIBC_TUNABLES',
    reason: 'it tunes the C library of every program, and has been a privilege-escalation vector',
  },
  { name: 'GCONV_PATH', reason: 'the C library loads character-conversion modules (code) from it' },
  { name: 'LOCPATH', reason: 'the C library loads locale data from it' },
  { name: 'NLSPATH', reason: 'the C library loads message catalogs from it' },
  { name: 'HOSTALIASES', reason: 'it changes how host names resolve' },
  { name: 'RESOLV_HOST_CONF', reason: 'it changes how host names resolve' },
  { name: 'LOCALDOMAIN', reason: 'it changes how host names resolve' },
  { name: 'RES_OPTIONS', reason: 'it changes how host names resolve' },
  // OpenSSL and TLS trust.
  { name: 'OPENSSL_CONF', reason: 'OpenSSL reads it and can load engines and providers (code) it names' },
  { name: 'OPENSSL_ENGINES', reason: 'OpenSSL loads engines (code) from it' },
  { name: 'OPENSSL_MODULES', reason: 'OpenSSL loads providers (code) from it' },
  { name: 'SSL_CERT_FILE', reason: TLS_TRUST },
  { name: 'SSL_CERT_DIR', reason: TLS_TRUST },
  // Node.js (node CLI documentation, Environment variables) and npm.
  {
    name: 'NODE_OPTIONS',
    reason: 'node reads options from it, --require and --import among them: code before any script',
  },
  { name: 'NODE_PATH', reason: 'node loads modules from it' },
  { name: 'NODE_REPL_EXTERNAL_MODULE', reason: 'node loads this module instead of its REPL' },
  { name: 'NODE_EXTRA_CA_CERTS', reason: TLS_TRUST },
  { name: 'NODE_TLS_REJECT_UNAUTHORIZED', reason: TLS_TRUST },
  { name: 'NODE_V8_COVERAGE', reason: 'node writes files where it points' },
  { name: 'NODE_COMPILE_CACHE', reason: 'node loads compiled code from it' },
  {
    name: 'NPM_CONFIG_*',
    reason:
      'npm reads its configuration from them (script-shell, node-options, registry, userconfig: code and packages from elsewhere)',
  },
  // Python (Command line and environment).
  { name: 'PYTHONSTARTUP', reason: 'python runs this file first' },
  { name: 'PYTHONPATH', reason: 'python imports modules from it' },
  { name: 'PYTHONHOME', reason: 'python loads its standard library from it' },
  { name: 'PYTHONUSERBASE', reason: 'python imports user site packages from it' },
  { name: 'PYTHONPLATLIBDIR', reason: 'python loads its standard library from it' },
  { name: 'PYTHONINSPECT', reason: 'python enters interactive mode after the script' },
  { name: 'PYTHONWARNINGS', reason: 'python imports the warning categories it names' },
  { name: 'PYTHONBREAKPOINT', reason: 'python imports and calls what it names on breakpoint()' },
  { name: 'PYTHONCASEOK', reason: 'it changes which files python imports' },
  { name: 'PYTHONPYCACHEPREFIX', reason: 'python reads compiled modules from it' },
  { name: 'PYTHONEXECUTABLE', reason: 'it changes which program python reports as itself' },
  // Perl (perlrun).
  { name: 'PERL5OPT', reason: 'perl takes options from it, -M among them: code before any script' },
  { name: 'PERL5LIB', reason: 'perl loads modules from it' },
  { name: 'PERLLIB', reason: 'perl loads modules from it' },
  { name: 'PERL5DB', reason: 'perl runs it as the debugger' },
  { name: 'PERL5SHELL', reason: 'perl runs commands with it on Windows' },
  // Ruby (ruby(1), RubyGems, Bundler).
  { name: 'RUBYOPT', reason: 'ruby takes options from it, -r among them: code before any script' },
  { name: 'RUBYLIB', reason: 'ruby loads libraries from it' },
  { name: 'RUBYPATH', reason: 'ruby finds scripts in it' },
  { name: 'RUBYSHELL', reason: 'ruby runs commands with it' },
  { name: 'GEM_HOME', reason: 'ruby loads gems from it' },
  { name: 'GEM_PATH', reason: 'ruby loads gems from it' },
  { name: 'BUNDLE_GEMFILE', reason: 'bundler evaluates the Gemfile (ruby code) it names' },
  // Java (the java launcher and the JVM).
  { name: 'JAVA_TOOL_OPTIONS', reason: 'every JVM takes options from it, -javaagent among them: code before main' },
  { name: '_JAVA_OPTIONS', reason: 'every JVM takes options from it, -javaagent among them: code before main' },
  { name: 'JDK_JAVA_OPTIONS', reason: 'the java launcher takes options from it, -javaagent among them' },
  { name: 'JAVA_HOME', reason: 'tools run the java found there' },
  { name: 'CLASSPATH', reason: 'the JVM loads classes from it' },
  { name: 'MAVEN_OPTS', reason: "maven's JVM takes options from it, -javaagent among them" },
  { name: 'GRADLE_OPTS', reason: "gradle's JVM takes options from it, -javaagent among them" },
  // git (git(1) ENVIRONMENT VARIABLES, git-config(1)).
  {
    name: 'GIT_*',
    reason:
      'git reads them to run commands and choose repositories (GIT_SSH_COMMAND, GIT_CONFIG_*, GIT_EXEC_PATH, GIT_ASKPASS, GIT_DIR, …)',
  },
  { name: 'SSH_ASKPASS', reason: 'ssh and git run it as a command' },
  // Other runtimes' start-up hooks: .NET, PowerShell, Lua, PHP, Erlang/Elixir, R, Go, Rust.
  { name: 'DOTNET_STARTUP_HOOKS', reason: '.NET loads and runs the assemblies it names before Main' },
  { name: 'DOTNET_ADDITIONAL_DEPS', reason: '.NET loads the assemblies it lists' },
  { name: 'CORECLR_*', reason: '.NET loads the profiler (native code) these name into the process' },
  { name: 'COR_ENABLE_PROFILING', reason: '.NET Framework loads the profiler (native code) it turns on' },
  { name: 'COR_PROFILER', reason: '.NET Framework loads the profiler (native code) it names' },
  { name: 'COR_PROFILER_PATH', reason: '.NET Framework loads the profiler (native code) it names' },
  { name: 'PSMODULEPATH', reason: 'PowerShell loads modules (code) from it' },
  { name: 'LUA_INIT*', reason: 'lua runs the code it holds, or the file it names, before any script' },
  { name: 'LUA_PATH*', reason: 'lua loads modules from it' },
  { name: 'LUA_CPATH*', reason: 'lua loads native modules from it' },
  { name: 'PHPRC', reason: 'php reads its ini from there, and an ini can prepend code to every script' },
  { name: 'PHP_INI_SCAN_DIR', reason: 'php reads ini files from it, and an ini can prepend code to every script' },
  { name: 'ERL_AFLAGS', reason: 'the Erlang VM takes options from it, -eval among them: code before any program' },
  { name: 'ERL_ZFLAGS', reason: 'the Erlang VM takes options from it, -eval among them: code before any program' },
  { name: 'ERL_FLAGS', reason: 'the Erlang VM takes options from it, -eval among them: code before any program' },
  {
    name: 'ELIXIR_ERL_OPTIONS',
    reason: 'elixir passes it to the Erlang VM, -eval among them: code before any program',
  },
  { name: 'R_PROFILE', reason: 'R runs this file at start-up' },
  { name: 'R_PROFILE_USER', reason: 'R runs this file at start-up' },
  { name: 'R_ENVIRON', reason: 'R reads its start-up environment from this file' },
  { name: 'R_ENVIRON_USER', reason: 'R reads its start-up environment from this file' },
  { name: 'R_LIBS', reason: 'R loads packages from it' },
  { name: 'R_LIBS_USER', reason: 'R loads packages from it' },
  { name: 'GOFLAGS', reason: 'go takes flags from it, -toolexec among them: a program run for every tool' },
  { name: 'RUSTC_WRAPPER', reason: 'cargo runs the program it names for every compile' },
  { name: 'RUSTC_WORKSPACE_WRAPPER', reason: 'cargo runs the program it names for every compile' },
  { name: 'RUSTC', reason: 'cargo runs the program it names as the compiler' },
  // Commands other tools run on their own.
  { name: 'LESSOPEN', reason: 'less runs it as a command for every file it opens' },
  { name: 'LESSCLOSE', reason: 'less runs it as a command for every file it closes' },
  { name: 'MANPAGER', reason: 'tools run it as a command' },
  { name: 'BROWSER', reason: 'tools run it as a command' },
  { name: 'SUDO_ASKPASS', reason: 'sudo runs it as a command' },
  // Files from which deploy tools take credentials and the programs that fetch them.
  {
    name: 'KUBECONFIG',
    reason: 'kubectl takes credentials from the files it names, and their exec entries run programs',
  },
  {
    name: 'AWS_CONFIG_FILE',
    reason: 'the AWS CLI and SDKs take credentials from this file, and its credential_process runs a program',
  },
  {
    name: 'AWS_SHARED_CREDENTIALS_FILE',
    reason: 'the AWS CLI and SDKs take credentials from this file, and its credential_process runs a program',
  },
  { name: 'DOCKER_CONFIG', reason: 'docker takes credentials and credential helpers (programs it runs) from there' },
  { name: 'CLOUDSDK_CONFIG', reason: 'gcloud takes its credentials and configuration from there' },
  { name: 'CURL_HOME', reason: 'curl reads options (output files, headers, proxies) from a .curlrc there' },
  { name: 'WGETRC', reason: 'wget reads options (output files, headers, proxies) from this file' },
  { name: 'PIP_CONFIG_FILE', reason: 'pip reads its configuration (package indexes: code from elsewhere) from it' },
  { name: 'PIP_INDEX_URL', reason: 'pip installs packages (code) from the index it names' },
  { name: 'PIP_EXTRA_INDEX_URL', reason: 'pip installs packages (code) from the indexes it names' },
  // The network path of the job.
  { name: 'HTTP_PROXY', reason: PROXY },
  { name: 'HTTPS_PROXY', reason: PROXY },
  { name: 'ALL_PROXY', reason: PROXY },
  { name: 'NO_PROXY', reason: PROXY },
];

/** Why a config may not set `key`, or undefined when it may. */
export function reservedKeyReason(key: string): string | undefined {
  const upper = key.toUpperCase();
  for (const { name, reason } of RESERVED) {
    if (name.endsWith('*') ? upper.startsWith(name.slice(0, -1)) : upper === name) return reason;
  }
  return undefined;
}

/** The reserved names as written in the list (prefixes end with '*'), for documentation. */
export function reservedKeyNames(): string[] {
  return RESERVED.map(({ name }) => name);
}

/** The fix, said the same way by release and deploy. */
export function reservedKeyMessage(key: string, reason: string): string {
  return `${key} is reserved and may not be set by a release's config: ${reason}. Rename the key (for example APP_${key.replace(/^_+/, '')}) and read that name in your app.`;
}
