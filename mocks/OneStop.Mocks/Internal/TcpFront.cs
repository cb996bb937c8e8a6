using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace OneStop.Mocks.Internal;

/// <summary>
/// A loopback TCP relay in front of a WireMock server. It pipes bytes both ways untouched; while
/// <c>resetNow()</c> is true it resets (RST, linger 0) every connection it accepts and every open connection
/// on which the client sends. WireMock alone cannot do this: its fault types still answer HTTP 200.
/// </summary>
internal sealed class TcpFront : IAsyncDisposable
{
    private const int BufferSize = 16 * 1024;

    private readonly TcpListener _listener;
    private readonly IPEndPoint _backend;
    private readonly Func<bool> _resetNow;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly ConcurrentDictionary<Task, byte> _pipes = new();
    private Task _acceptLoop = Task.CompletedTask;
    private int _disposed;

    private TcpFront(int port, int backendPort, Func<bool> resetNow)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _backend = new IPEndPoint(IPAddress.Loopback, backendPort);
        _resetNow = resetNow;
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    /// <summary>Listens on 127.0.0.1:<paramref name="port"/> (0 = a free port) and relays to 127.0.0.1:<paramref name="backendPort"/>.</summary>
    public static TcpFront Start(int port, int backendPort, Func<bool> resetNow)
    {
        var front = new TcpFront(port, backendPort, resetNow);
        front._listener.Start(backlog: 512);
        front._acceptLoop = Task.Run(front.AcceptLoopAsync);
        return front;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || _stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // a connection that died in the backlog: keep accepting
            }

            if (_resetNow())
            {
                Reset(client);
                continue;
            }

            var pipe = PipeAsync(client);
            _pipes.TryAdd(pipe, 0);
            _ = pipe.ContinueWith(t => _pipes.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task PipeAsync(Socket client)
    {
        var backend = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _open.TryAdd(client, 0);
        _open.TryAdd(backend, 0);
        var resetClient = true;
        try
        {
            client.NoDelay = true;
            await backend.ConnectAsync(_backend, _stopping.Token).ConfigureAwait(false);
            var up = PumpAsync(client, backend, checkReset: true);
            var down = PumpAsync(backend, client, checkReset: false);
            var first = await Task.WhenAny(up, down).ConfigureAwait(false);
            if (!first.IsCompletedSuccessfully || first.Result == PumpEnd.Reset)
            {
                Close(backend); // ends the other pump too
            }

            var ends = await Task.WhenAll(up, down).ConfigureAwait(false);
            resetClient = ends.Contains(PumpEnd.Reset);
        }
#pragma warning disable CA1031 // a relay must never fault: any failure ends this connection with a reset
        catch (Exception)
#pragma warning restore CA1031
        {
            resetClient = true;
        }
        finally
        {
            if (resetClient)
            {
                Reset(client);
            }
            else
            {
                Close(client);
            }

            Close(backend);
            _open.TryRemove(client, out _);
            _open.TryRemove(backend, out _);
        }
    }

    private enum PumpEnd
    {
        Eof,
        Reset,
    }

    private async Task<PumpEnd> PumpAsync(Socket from, Socket to, bool checkReset)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, _stopping.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    try
                    {
                        to.Shutdown(SocketShutdown.Send);
                    }
                    catch (Exception e) when (e is SocketException or ObjectDisposedException)
                    {
                        // the other side is already gone
                    }

                    return PumpEnd.Eof;
                }

                if (checkReset && _resetNow())
                {
                    return PumpEnd.Reset;
                }

                var sent = 0;
                while (sent < read)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, _stopping.Token).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Closes with linger 0, which makes the kernel send RST instead of FIN.</summary>
    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // already closed
        }

        socket.Dispose();
    }

    private static void Close(Socket socket) => socket.Dispose();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        foreach (var socket in _open.Keys)
        {
            Reset(socket);
        }

        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(_pipes.Keys).ConfigureAwait(false); // pipes never fault
        _stopping.Dispose();
    }
}
