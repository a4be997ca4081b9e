import { expect, test, watchErrors } from "../support/test";
import { uniqueEmail } from "../support/accounts";

const PASSWORD = "a-long-password-1";

// Teams (#19): an owner invites a developer by link; the developer accepts in a second browser,
// creates a key, and finds billing's actions disabled with the reason; the owner sees both actions in
// the audit log.
test("an owner invites a developer, who joins in another browser, creates a key and can't buy credits", async ({
  page,
  browser,
}) => {
  const ownerEmail = uniqueEmail("team-owner");
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Ada");
  await page.getByLabel("Email").fill(ownerEmail);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();

  await page.getByRole("link", { name: "Team" }).first().click();
  await expect(page.getByRole("heading", { name: "Team", exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Invite member" }).click();
  const invite = page.getByRole("dialog", { name: "Invite a member" });
  const devEmail = uniqueEmail("team-dev");
  await invite.getByLabel("Email").fill(devEmail);
  await expect(invite.getByLabel("Role").locator("option:checked")).toHaveText("Developer");
  await invite.getByRole("button", { name: "Create invite link" }).click();
  const shown = page.getByRole("dialog", { name: `Invite link for ${devEmail}` });
  const link = await shown.getByLabel("Invite link").inputValue();
  expect(link).toMatch(/\/join\?token=gmi_/);
  await shown.getByRole("button", { name: "Copy invite link" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await shown.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("button", { name: `Revoke invitation for ${devEmail}` })).toBeVisible();

  // The developer, signed out, in a browser of their own.
  const devContext = watchErrors(await browser.newContext());
  const dev = await devContext.newPage();
  await dev.goto(link);
  await expect(dev.getByRole("heading", { name: "Join Ada's team" })).toBeVisible();
  await expect(
    dev.getByText(`${ownerEmail} invited ${devEmail} to join Ada's team as Developer.`),
  ).toBeVisible();
  await dev.getByRole("link", { name: "Create an account to join" }).click();
  await dev.getByLabel("Name").fill("Dev");
  await expect(dev.getByLabel("Email")).toHaveValue(devEmail);
  await dev.getByLabel("Password").fill(PASSWORD);
  await dev.getByRole("button", { name: "Create account" }).click();
  await dev.getByRole("button", { name: "Join Ada's team" }).click();
  await expect(dev.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(dev.getByText("Ada's team").first()).toBeVisible();

  // A key, made for the team.
  await dev.getByRole("link", { name: "Keys" }).first().click();
  await expect(dev.getByRole("heading", { name: "API keys", exact: true })).toBeVisible();
  await dev.getByRole("button", { name: "Create key" }).first().click();
  const create = dev.getByRole("dialog", { name: "Create API key" });
  await create.getByLabel("Name").fill("dev's key");
  await create.getByRole("button", { name: "Create key" }).click();
  await expect(dev.getByRole("dialog", { name: "Save your secret key" })).toBeVisible();
  const keys = await (await dev.request.get("/api/v1/keys")).json();
  expect(keys.data.map((k: { name: string }) => k.name)).toEqual(["dev's key"]);

  // Billing: readable, but no purchase and no settings — disabled with the reason, never a failing click.
  await dev.goto("/billing");
  const buy = dev.getByRole("button", { name: /^Buy / }).first();
  await expect(buy).toBeDisabled();
  await expect(buy).toHaveAccessibleDescription("Only owners, admins and billing members can buy credits.");
  await expect(dev.getByText("Only the account owner can change auto-recharge.")).toBeVisible();
  // And members: read only, with why.
  await dev.goto("/team");
  await expect(dev.getByRole("button", { name: "Invite member" })).toBeDisabled();
  await expect(dev.getByRole("button", { name: `Remove ${ownerEmail}` })).toBeDisabled();
  // Leaving is theirs to choose, whatever their role.
  await expect(dev.getByRole("button", { name: "Leave the team" })).toBeEnabled();
  await devContext.close();

  // The owner sees the developer with their role, and both actions in the audit log.
  await page.reload();
  await expect(page.getByLabel(`Role of ${devEmail}`).locator("option:checked")).toHaveText("Developer");
  await expect(page.getByText("No pending invitations.")).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  const rows = page.getByRole("row");
  const joined = rows.filter({ hasText: "Joined the team" });
  await expect(joined).toContainText(devEmail);
  await expect(joined).toContainText("Developer");
  const created = rows.filter({ hasText: "Created a key" });
  await expect(created).toContainText(devEmail);
  await expect(created).toContainText("dev's key");
  await expect(rows.filter({ hasText: "Invited a member" })).toContainText(ownerEmail);
  const audit = await (await page.request.get("/api/v1/audit?limit=50")).json();
  const byDev = audit.data.filter((row: { actor: { email: string | null } }) => row.actor.email === devEmail);
  expect(byDev.map((row: { action: string }) => row.action).sort()).toEqual([
    "invitation.accept",
    "key.create",
  ]);
});
