import { test as setup } from "../support/test";
import { DEMO, OTHER, SUPPORT, signInUi, storageStateOf } from "../support/accounts";

// Signs each seeded account in once, through the sign-in page, and saves the session for the console
// specs (`test.use({ storageState: storageStateOf("demo") })`). Specs about signing in still sign in.
for (const [name, account] of [
  ["demo", DEMO],
  ["other", OTHER],
  ["support", SUPPORT],
] as const) {
  setup(`sign in as ${name}`, async ({ page }) => {
    await signInUi(page, account);
    await page.context().storageState({ path: storageStateOf(name) });
  });
}
