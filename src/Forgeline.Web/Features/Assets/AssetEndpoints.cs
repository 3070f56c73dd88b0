using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Forgeline.Web.Features.Assets;

/// <summary><c>GET /assets/PATH</c>: the pages' scripts and styles, from <see cref="EmbeddedAssets"/>.</summary>
public static class AssetEndpoints
{
    /// <summary>Maps <c>/assets/{**path}</c>; every target serves it (pages of any target may use it).</summary>
    public static IEndpointRouteBuilder MapAssetEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods(EmbeddedAssets.UrlPrefix + "{**path}", [HttpMethods.Get, HttpMethods.Head], Serve).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// The asset; with the current <c>?v=</c>, for a year and immutable (a new build changes the URL), otherwise revalidated
    /// by its ETag. 404 for any path the assembly does not carry.
    /// </summary>
    public static Results<FileContentHttpResult, StatusCodeHttpResult, NotFound> Serve(HttpContext context, string path)
    {
        if (EmbeddedAssets.Find(path) is not { } asset)
        {
            return TypedResults.NotFound();
        }

        var headers = context.Response.Headers;
        var etag = $"\"{asset.Version}\"";
        headers.ETag = etag;
        headers.CacheControl = context.Request.Query["v"] == asset.Version ? "public, max-age=31536000, immutable" : "no-cache";
        headers.XContentTypeOptions = "nosniff";
        if (context.Request.Headers.IfNoneMatch.Contains(etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var content = asset.Content;
        if (asset.Gzipped is { } gzipped)
        {
            headers.Vary = HeaderNames.AcceptEncoding;
            if (AcceptsGzip(context.Request))
            {
                headers.ContentEncoding = "gzip";
                content = gzipped;
            }
        }

        return TypedResults.File(content, asset.ContentType);
    }

    private static bool AcceptsGzip(HttpRequest request) =>
        request.Headers.AcceptEncoding.Any(value => value is not null && value.Split(',').Any(part =>
            part.Split(';')[0].Trim().Equals("gzip", StringComparison.OrdinalIgnoreCase) && !part.Replace(" ", "", StringComparison.Ordinal).EndsWith(";q=0", StringComparison.Ordinal)));
}
