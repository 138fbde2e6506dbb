import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import { setInvoker } from "./api";
import AccountQrCode from "./components/AccountQrCode.svelte";

const ID = "00000000-0000-4000-8000-000000000001";
const IMAGE = "data:image/png;base64,iVBORw0KGgo=";

afterEach(() => cleanup());

describe("AccountQrCode", () => {
  it("asks for the password, shows the shell's image with a warning, and hides it again", async () => {
    const calls: Array<Record<string, unknown> | undefined> = [];
    setInvoker(async (cmd, args) => {
      calls.push({ cmd, ...args });
      if (args?.password !== "right password") throw { code: "wrong_password", message: "wrong password" };
      return { image: IMAGE, size: 294 };
    });
    render(AccountQrCode, { id: ID, label: "Example" });
    expect(screen.queryByRole("img")).toBeNull();

    await fireEvent.input(screen.getByLabelText("Vault password"), { target: { value: "nope" } });
    await fireEvent.click(screen.getByRole("button", { name: "Show QR code" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Wrong password. Check it and try again.");
    expect(screen.queryByRole("img")).toBeNull();

    await fireEvent.input(screen.getByLabelText("Vault password"), { target: { value: "right password" } });
    await fireEvent.click(screen.getByRole("button", { name: "Show QR code" }));
    const image = (await screen.findByRole("img", { name: "QR code for Example" })) as HTMLImageElement;
    expect(image.getAttribute("src")).toBe(IMAGE);
    expect(screen.getByText(/carries the secret key/)).toBeTruthy();
    expect(calls).toEqual([
      { cmd: "show_account_qr", id: ID, password: "nope" },
      { cmd: "show_account_qr", id: ID, password: "right password" },
    ]);

    await fireEvent.click(screen.getByRole("button", { name: "Hide QR code" }));
    expect(screen.queryByRole("img")).toBeNull();
    expect((screen.getByLabelText("Vault password") as HTMLInputElement).value).toBe("");
  });
});
