using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;

namespace Gatehouse.Control.Portal;

/// <summary>
/// A fragment of markup that is safe to send. The only way to make one from data is <see cref="Of"/>, whose
/// interpolation holes are HTML-encoded unless they are fragments themselves, so that escaping is the default.
/// </summary>
internal readonly struct Html
{
    private Html(string value) => Value = value;

    public string Value { get; }

    public static Html Empty => new("");

    public static Html Of(ref Handler handler) => new(handler.ToStringAndClear());

    public static Html Join(IEnumerable<Html> fragments) => new(string.Concat(fragments.Select(f => f.Value)));

    [InterpolatedStringHandler]
    public ref struct Handler(int literalLength, int formattedCount)
    {
        private DefaultInterpolatedStringHandler _text = new(literalLength, formattedCount, CultureInfo.InvariantCulture);

        public void AppendLiteral(string literal) => _text.AppendLiteral(literal);

        public void AppendFormatted(Html fragment) => _text.AppendLiteral(fragment.Value);

        public void AppendFormatted<T>(T value) =>
            _text.AppendLiteral(HtmlEncoder.Default.Encode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""));

        public string ToStringAndClear() => _text.ToStringAndClear();
    }
}
