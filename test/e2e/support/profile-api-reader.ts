import { ProfileView } from '../../../contracts/profile';

/** One Profile API answer: status, `Location` header and the JSON body. */
export interface ApiAnswer {
  readonly status: number;
  readonly location: string | null;
  readonly json: unknown;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Reads the Profile API of a running `cdp dev` with its read key (redirects are not followed). */
export function profileApiReader(url: string, readKey: string) {
  /** `authorization`: `null` sends none (the default is the read key). */
  async function get(path: string, authorization: string | null = `Bearer ${readKey}`): Promise<ApiAnswer> {
    const res = await fetch(url + path, {
      redirect: 'manual',
      headers: authorization === null ? {} : { authorization },
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, location: res.headers.get('location'), json };
  }

  return {
    get,
    /**
     * Polls `lookup?type&value` and the profile it points to until `ready(view)` holds (the pipeline
     * serves what it processed a moment after the collector acknowledged it), or fails with the last answer.
     */
    async waitForProfile(
      type: string,
      value: string,
      ready: (view: ProfileView) => boolean,
      timeoutMs = 60_000,
    ): Promise<ProfileView> {
      const started = Date.now();
      let last: unknown = 'no answer yet';
      while (Date.now() - started < timeoutMs) {
        const lookup = await get(`/v1/profiles/lookup?type=${type}&value=${encodeURIComponent(value)}`);
        last = lookup;
        if (lookup.status === 302 && lookup.location) {
          const profile = await get(lookup.location);
          last = profile;
          if (profile.status === 200) {
            const view = ProfileView.parse(profile.json);
            if (ready(view)) return view;
          }
        }
        await sleep(200);
      }
      throw new Error(
        `the profile of ${type} was not ready within ${timeoutMs} ms; last answer: ${JSON.stringify(last)}`,
      );
    },
  };
}
