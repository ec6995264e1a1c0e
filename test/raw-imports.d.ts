// `import text from "./file?raw"`: Vite hands a test a file's text (docs, config examples).
declare module "*?raw" {
  const text: string;
  export default text;
}
