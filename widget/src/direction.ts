// The widget's writing direction: right to left for the RTL languages the widget is translated
// into (Arabic, Hebrew, Persian, Urdu) and for `Chatbot(rtl=True)`. The stylesheets use
// logical properties (inline-start/end), so `dir` on the root mirrors the whole widget.

/** Whether `locale` (a BCP 47 tag such as "ar", "he-IL") is written right to left. */
export const isRtl = (locale: string): boolean => /^(?:ar|he|fa|ur)\b/i.test(locale);

/** The root's `dir`: from the chosen `locale` (null: the browser's language) or the app's `rtl`. */
export const direction = (locale: string | null, rtl: boolean): "rtl" | "ltr" =>
  rtl || isRtl(locale || navigator.language) ? "rtl" : "ltr";
