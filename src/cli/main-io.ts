/** What main reads and writes: output streams, environment, working directory, terminal facts. */
export interface MainIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** stderr is a terminal: progress lines, human logs, colour (unless NO_COLOR). */
  isTty: boolean;
  /** stdout is a terminal (tables); defaults to isTty. */
  stdoutIsTty?: boolean;
  /** Clock for throttling progress (tests inject one). */
  clock?: () => number;
}
