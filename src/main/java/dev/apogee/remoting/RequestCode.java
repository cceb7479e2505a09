package dev.apogee.remoting;

/**
 * Request codes: the {@code code} of a request header (protocol 2.1). Directions: C client, A admin
 * tool, B broker, N name server.
 */
public final class RequestCode {
  /** C→B, long header names. */
  public static final int SEND_MESSAGE = 10;

  /** C→B. */
  public static final int PULL_MESSAGE = 11;

  /** C/A→B, by key. */
  public static final int QUERY_MESSAGE = 12;

  /** C→B. */
  public static final int QUERY_CONSUMER_OFFSET = 14;

  /** C→B, often oneway. */
  public static final int UPDATE_CONSUMER_OFFSET = 15;

  /** A→B. */
  public static final int UPDATE_AND_CREATE_TOPIC = 17;

  /** A→B. */
  public static final int GET_ALL_TOPIC_CONFIG = 21;

  /** A→B. */
  public static final int GET_BROKER_CONFIG = 26;

  /** A→B. */
  public static final int GET_BROKER_RUNTIME_INFO = 28;

  /** C→B. */
  public static final int SEARCH_OFFSET_BY_TIMESTAMP = 29;

  /** C→B. */
  public static final int GET_MAX_OFFSET = 30;

  /** C→B. */
  public static final int GET_MIN_OFFSET = 31;

  /** C→B. */
  public static final int GET_EARLIEST_MSG_STORETIME = 32;

  /** C/A→B, by commit log offset. */
  public static final int VIEW_MESSAGE_BY_ID = 33;

  /** C→B. */
  public static final int HEART_BEAT = 34;

  /** C→B. */
  public static final int UNREGISTER_CLIENT = 35;

  /** C→B. */
  public static final int CONSUMER_SEND_MSG_BACK = 36;

  /** C→B, oneway. */
  public static final int END_TRANSACTION = 37;

  /** C→B. */
  public static final int GET_CONSUMER_LIST_BY_GROUP = 38;

  /** B→C, oneway. */
  public static final int CHECK_TRANSACTION_STATE = 39;

  /** B→C, oneway. */
  public static final int NOTIFY_CONSUMER_IDS_CHANGED = 40;

  /** C→B. */
  public static final int LOCK_BATCH_MQ = 41;

  /** C→B, sometimes oneway. */
  public static final int UNLOCK_BATCH_MQ = 42;

  /** C→B, only for non-TAG subscriptions. */
  public static final int CHECK_CLIENT_CONFIG = 46;

  /** B→N. */
  public static final int REGISTER_BROKER = 103;

  /** B→N. */
  public static final int UNREGISTER_BROKER = 104;

  /** C/A→N. */
  public static final int GET_ROUTEINFO_BY_TOPIC = 105;

  /** A→N. */
  public static final int GET_BROKER_CLUSTER_INFO = 106;

  /** A→B. */
  public static final int GET_TOPIC_STATS_INFO = 202;

  /** A→B. */
  public static final int GET_CONSUMER_CONNECTION_LIST = 203;

  /** A→N. */
  public static final int GET_ALL_TOPIC_LIST_FROM_NAMESERVER = 206;

  /** A→B. */
  public static final int GET_CONSUME_STATS = 208;

  /** B→C, oneway. */
  public static final int RESET_CONSUMER_CLIENT_OFFSET = 220;

  /** A→B. */
  public static final int QUERY_TOPIC_CONSUME_BY_WHO = 300;

  /** A→B→C. */
  public static final int GET_CONSUMER_RUNNING_INFO = 307;

  /** A→B→C. */
  public static final int CONSUME_MESSAGE_DIRECTLY = 309;

  /** C→B, single-letter header names. */
  public static final int SEND_MESSAGE_V2 = 310;

  /** C→B, batch body. */
  public static final int SEND_BATCH_MESSAGE = 320;

  /** B→N. */
  public static final int QUERY_DATA_VERSION = 322;

  /** C→B, sent by the lite pull consumer. */
  public static final int LITE_PULL_MESSAGE = 361;

  /** C→B, only when client-side rebalance is off. */
  public static final int QUERY_ASSIGNMENT = 400;

  /** B→N, lightweight keep-alive. */
  public static final int BROKER_HEARTBEAT = 904;

  private RequestCode() {}

  /** Code 18. */
  public static final int UPDATE_AND_CREATE_TOPIC_LIST = 18;

  /** Code 25. */
  public static final int UPDATE_BROKER_CONFIG = 25;

  /** Code 43. */
  public static final int GET_ALL_CONSUMER_OFFSET = 43;

  /** Code 45. */
  public static final int GET_ALL_DELAY_OFFSET = 45;

  /** Code 100. */
  public static final int PUT_KV_CONFIG = 100;

  /** Code 101. */
  public static final int GET_KV_CONFIG = 101;

  /** Code 102. */
  public static final int DELETE_KV_CONFIG = 102;

  /** Code 200. */
  public static final int UPDATE_AND_CREATE_SUBSCRIPTIONGROUP = 200;

  /** Code 201. */
  public static final int GET_ALL_SUBSCRIPTIONGROUP_CONFIG = 201;

  /** Code 204. */
  public static final int GET_PRODUCER_CONNECTION_LIST = 204;

  /** Code 207. */
  public static final int DELETE_SUBSCRIPTIONGROUP = 207;

  /** Code 215. */
  public static final int DELETE_TOPIC_IN_BROKER = 215;

  /** Code 216. */
  public static final int DELETE_TOPIC_IN_NAMESRV = 216;

  /** Code 219. */
  public static final int GET_KVLIST_BY_NAMESPACE = 219;

  /** Code 222. */
  public static final int INVOKE_BROKER_TO_RESET_OFFSET = 222;

  /** Code 223. */
  public static final int INVOKE_BROKER_TO_GET_CONSUMER_STATUS = 223;

  /** Code 224. */
  public static final int GET_TOPICS_BY_CLUSTER = 224;

  /** A→B, body {@code {"groupConfigList":[...]}} ({@code mqadmin updateSubGroupList}). */
  public static final int UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST = 225;

  /** Code 304. */
  public static final int GET_SYSTEM_TOPIC_LIST_FROM_NS = 304;

  /** A→B, copies one group's offsets to another ({@code cloneGroupOffset} of the admin API). */
  public static final int CLONE_GROUP_OFFSET = 314;

  /** A→B, one stats item's minute, hour and day figures ({@code mqadmin statsAll}). */
  public static final int VIEW_BROKER_STATS_DATA = 315;

  /** Code 317. */
  public static final int GET_BROKER_CONSUME_STATS = 317;

  /** A→N, body = properties text of the settings to change. */
  public static final int UPDATE_NAMESRV_CONFIG = 318;

  /** Code 319. */
  public static final int GET_NAMESRV_CONFIG = 319;

  /** Code 321. */
  public static final int QUERY_CONSUME_QUEUE = 321;

  /** Code 351. */
  public static final int GET_TOPIC_CONFIG = 351;

  /** Code 352. */
  public static final int GET_SUBSCRIPTIONGROUP_CONFIG = 352;
}
