// @exactOptionalPropertyTypes: true
// A `?` property may be missing; with exactOptionalPropertyTypes it may not be undefined.
interface Settings {
  theme?: "dark" | "light";
}

const missing: Settings = {};
const explicit: Settings = { theme: undefined }; // error: TS2375
const settings: Settings = { theme: "dark" };
settings.theme = undefined; // error: TS2412
console.log("theme" in missing, "theme" in explicit, settings.theme);
