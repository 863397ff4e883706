import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresRole } from '../auth/roles';
import { AlertsJob, type AlertView } from './alerts.job';

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('api/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsJob) {}

  @Get()
  @RequiresRole('viewer')
  @ApiOperation({ summary: 'Firing and resolved alerts (viewer).' })
  list(@Query('status') status?: string): Promise<AlertView[]> {
    return this.alerts.list(status === 'firing' || status === 'resolved' ? status : undefined);
  }

  @Post('evaluate')
  @HttpCode(200)
  @RequiresRole('operator')
  @ApiOperation({ summary: 'Evaluates the alert rules now (operator); the schedule does this every CONTROL_PLANE_ALERT_INTERVAL_MS.' })
  evaluate() {
    return this.alerts.evaluate();
  }
}
