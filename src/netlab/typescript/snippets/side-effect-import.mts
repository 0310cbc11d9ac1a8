// A side-effect import of a file that does not exist, with the pinned compiler's defaults.
import "./missing.css"; // error: TS2882
console.log("styles loaded");
