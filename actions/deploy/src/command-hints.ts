/**
 * What a deploy command's exit status usually means, said where it fails:
 * bash exits 127 when it cannot find a command and 126 when it found one it
 * cannot run (Bash Reference Manual, "Exit Status"). Both mostly mean the
 * command was written for the repository's checkout, but it runs in the
 * unpacked build, where only what the build packed exists.
 */
export function commandFailureHint(exitCode: number, releaseDir: string): string {
  const where = `the command runs in RELEASE_DIR=${releaseDir} (the unpacked build, not the repository's checkout), and a command is looked up there (./name) or in PATH`;
  if (exitCode === 127) {
    return ` Exit 127 is "command not found": ${where}; a script from the repository is there only if the build packed it (add it to the build's path), or check out the repository in the deploy job and call it by its path under $GITHUB_WORKSPACE.`;
  }
  if (exitCode === 126) {
    return ` Exit 126 is "found but not runnable" (not executable, or a folder): ${where}; the build keeps a file's executable bit only if it was set when the build action packed it (chmod +x before packing), or run it with its interpreter (e.g. bash ./deploy.sh).`;
  }
  return '';
}
