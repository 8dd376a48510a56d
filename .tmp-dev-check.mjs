import { loadConfigFromFile } from 'electron-vite';
import { createServer } from 'vite';
const { config } = await loadConfigFromFile({ command: 'serve', mode: 'development' }, undefined, '/work/main');
const server = await createServer({ ...config.renderer, configFile: false, server: { port: 5199, strictPort: true } });
await server.listen();
const html = await (await fetch('http://localhost:5199/')).text();
console.log(html);
await server.close();
