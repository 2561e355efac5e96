// Masks: every value registered (secrets, `::add-mask::`) is replaced by ***
// in everything the runner prints or records.

export class Masker {
  private readonly values = new Set<string>();
  private ordered: string[] = [];

  add(value: string): void {
    // The runner ignores blank values: masking '' or ' ' would mask everything.
    for (const candidate of [value, ...value.split(/\r?\n/)]) {
      const trimmed = candidate.trim();
      if (trimmed === '' || this.values.has(candidate)) continue;
      this.values.add(candidate);
    }
    // Longest first, so a secret that contains another is masked whole.
    this.ordered = [...this.values].sort((a, b) => b.length - a.length);
  }

  mask(text: string): string {
    let out = text;
    for (const value of this.ordered) out = out.split(value).join('***');
    return out;
  }
}
