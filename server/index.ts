/**
 * The optional sync server's entry point. `npm run server` serves; `npm run server -- tenant add "Room 4"`
 * and the other admin subcommands are in server/cli.ts, starting the server in server/start.ts.
 */
import { main } from './cli';

export * from './start';

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2))
    .then((code) => {
      // `serve` keeps running (its listeners hold the loop); a command ends with its code.
      if (code !== 0 || !['serve', undefined].includes(process.argv[2])) process.exit(code);
    })
    .catch((error: unknown) => {
      console.error(`lumin-server: ${(error as Error).message}`);
      process.exit(1);
    });
}
