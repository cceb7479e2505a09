package dev.apogee.broker.processor;

import dev.apogee.broker.BrokerServices;
import dev.apogee.broker.schedule.ScheduleMessageService;
import dev.apogee.remoting.Connection;
import dev.apogee.remoting.RemotingCommand;
import dev.apogee.remoting.RequestProcessor;
import dev.apogee.remoting.ResponseCode;
import io.vertx.core.Future;

/**
 * GET_ALL_DELAY_OFFSET: how far delayed delivery has come, as RocketMQ answers it: the body is the
 * delay offset table's JSON ({@code {"dataVersion":{...},"offsetTable":{"1":5,...}}}), the same
 * content as {@code config/delayOffset.json}. Stateless; reads memory only.
 */
public final class DelayOffsetProcessor implements RequestProcessor {
  private final BrokerServices broker;

  public DelayOffsetProcessor(BrokerServices broker) {
    this.broker = broker;
  }

  @Override
  public Future<RemotingCommand> process(Connection c, RemotingCommand req) {
    ScheduleMessageService schedule = broker.schedule();
    if (schedule == null) {
      return Future.succeededFuture(
          RemotingCommand.responseTo(
              req,
              ResponseCode.SYSTEM_ERROR,
              "this broker is a slave: delayed messages are delivered by its master"));
    }
    return Future.succeededFuture(
        RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null)
            .setBody(schedule.offsets().toJson()));
  }
}
